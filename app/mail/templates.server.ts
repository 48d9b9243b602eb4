// The messages an opinion causes: one to the office, one to the citizen when
// an email address was given. Text and HTML carry the same content; every
// value a person typed is escaped in the HTML.
import type { Channel } from '../../db/schema';
import { itemLabel, sectionLabel, toKanjiNumber } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import { CHANNEL_LABELS } from '~/domain/labels';

export type OpinionMailContext = {
  opinionId: number;
  trackingNumber: string;
  reportTitle: string;
  sectionNumber: number;
  sectionTitle: string;
  itemNumber: number | null;
  itemHeading: string | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  replyWanted: boolean;
  publicOk: boolean;
  channel: Channel;
  receivedAt: string;
  dueAt: string;
  contactPhone: string;
  contactMailbox: string;
  publicUrl: string;
};

export type RenderedMail = { subject: string; text: string; html: string };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function target(c: OpinionMailContext): string {
  if (c.sectionNumber === 0) return '通報全体';
  const section = `${sectionLabel(c.sectionNumber)} ${c.sectionTitle}`;
  return c.itemNumber === null ? `${section}(項目全体)` : `${section} ／ ${itemLabel(c.itemNumber)}${c.itemHeading ?? ''}`;
}

function officeSubject(c: OpinionMailContext): string {
  return c.sectionNumber === 0
    ? `[意見 ${c.trackingNumber}] 全体`
    : `[意見 ${c.trackingNumber}] 第${toKanjiNumber(c.sectionNumber)}項 ${c.sectionTitle}`;
}

function rowsToText(rows: Array<[string, string]>): string {
  return rows.map(([k, v]) => `${k}:${v}`).join('\n');
}

function rowsToHtml(rows: Array<[string, string | { href: string; label: string }]>): string {
  return `<table cellpadding="4" style="border-collapse:collapse">${rows
    .map(([k, v]) => {
      const value = typeof v === 'string' ? escapeHtml(v) : `<a href="${escapeHtml(v.href)}">${escapeHtml(v.label)}</a>`;
      return `<tr><th align="left" valign="top">${escapeHtml(k)}</th><td>${value}</td></tr>`;
    })
    .join('')}</table>`;
}

function htmlDocument(title: string, inner: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${inner}</body></html>`;
}

function quoteHtml(body: string): string {
  return `<blockquote style="white-space:pre-wrap;border-left:4px solid #ccc;margin:0;padding:0 0 0 1em">${escapeHtml(body)}</blockquote>`;
}

/** To the district office: everything needed to act on the opinion. */
export function officeNotification(c: OpinionMailContext): RenderedMail {
  const staffUrl = `${c.publicUrl}/staff/opinions/${c.opinionId}`;
  const subject = officeSubject(c);
  const facts: Array<[string, string]> = [
    ['受付番号', c.trackingNumber],
    ['通報', c.reportTitle],
    ['対象', target(c)],
    ['受付日時', `${formatDateTime(c.receivedAt)}(北京時間)`],
    ['受付経路', CHANNEL_LABELS[c.channel]],
    ['回答期限', `${formatDateTime(c.dueAt)}(北京時間)`],
    ['回答の希望', c.replyWanted ? 'あり' : 'なし'],
    ['意見の公開', c.publicOk ? '回答とあわせて公開してよい' : '公開しない'],
  ];
  const person: Array<[string, string]> = [
    ['お名前', c.name ?? '(記入なし)'],
    ['メールアドレス', c.email ?? '(記入なし)'],
    ['電話番号', c.phone ?? '(記入なし)'],
  ];
  const channels: Array<[string, string]> = [
    ['電話', c.contactPhone],
    ['郵便', c.contactMailbox],
  ];
  const text = [
    '意見箱に新しい意見が届きました。',
    '',
    rowsToText(facts),
    '',
    '―― 意見 ――',
    c.body,
    '――――――――',
    '',
    '【差出人(公開しないこと)】',
    rowsToText(person),
    '',
    `職員用画面:${staffUrl}`,
    '',
    '【公表している窓口】',
    rowsToText(channels),
    '',
  ].join('\n');
  const html = htmlDocument(
    subject,
    [
      '<p>意見箱に新しい意見が届きました。</p>',
      rowsToHtml(facts),
      '<h2>意見</h2>',
      quoteHtml(c.body),
      '<h2>差出人(公開しないこと)</h2>',
      rowsToHtml(person),
      `<p>職員用画面:<a href="${escapeHtml(staffUrl)}">${escapeHtml(staffUrl)}</a></p>`,
      '<h2>公表している窓口</h2>',
      rowsToHtml(channels),
    ].join('\n'),
  );
  return { subject, text, html };
}

/** To the citizen: the tracking number, a copy of the opinion, where to follow it. */
export function citizenAcknowledgement(c: OpinionMailContext): RenderedMail {
  const trackUrl = `${c.publicUrl}/track?number=${encodeURIComponent(c.trackingNumber)}`;
  const subject = `【意見箱】ご意見を受け付けました(受付番号 ${c.trackingNumber})`;
  const greeting = c.name ? `${c.name} 様` : 'ご意見をお寄せいただいた方へ';
  const facts: Array<[string, string]> = [
    ['受付番号', c.trackingNumber],
    ['通報', c.reportTitle],
    ['対象', target(c)],
    ['受付日時', `${formatDateTime(c.receivedAt)}(北京時間)`],
  ];
  const channels: Array<[string, string]> = [
    ['電話', c.contactPhone],
    ['郵便', c.contactMailbox],
  ];
  const next = c.replyWanted
    ? '担当部署が内容を確認し、ご記入の連絡先へ回答します。'
    : '担当部署が内容を確認します。回答を公開した場合は、下記のページでご覧いただけます。';
  const text = [
    greeting,
    '',
    'ご意見をお寄せいただき、ありがとうございます。次の内容で受け付けました。',
    '',
    rowsToText(facts),
    '',
    '―― お寄せいただいた意見 ――',
    c.body,
    '――――――――',
    '',
    next,
    `受付番号で状況を確認できます:${trackUrl}`,
    '',
    '【お問い合わせ】',
    rowsToText(channels),
    '',
    'このメールは送信専用です。お心当たりのない場合は破棄してください。',
    '',
  ].join('\n');
  const html = htmlDocument(
    subject,
    [
      `<p>${escapeHtml(greeting)}</p>`,
      '<p>ご意見をお寄せいただき、ありがとうございます。次の内容で受け付けました。</p>',
      rowsToHtml(facts),
      '<h2>お寄せいただいた意見</h2>',
      quoteHtml(c.body),
      `<p>${escapeHtml(next)}</p>`,
      `<p>受付番号で状況を確認できます:<a href="${escapeHtml(trackUrl)}">${escapeHtml(trackUrl)}</a></p>`,
      '<h2>お問い合わせ</h2>',
      rowsToHtml(channels),
      '<p>このメールは送信専用です。お心当たりのない場合は破棄してください。</p>',
    ].join('\n'),
  );
  return { subject, text, html };
}
