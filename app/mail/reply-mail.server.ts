// The message that tells a citizen their opinion has been answered. Text and
// HTML carry the same content; every value a person typed is escaped.
import { itemLabel, sectionLabel } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import { escapeHtml, type RenderedMail } from '~/mail/templates.server';

export type ReplyMailContext = {
  trackingNumber: string;
  reportTitle: string;
  sectionNumber: number;
  itemNumber: number | null;
  receivedAt: string;
  replyBody: string;
  /** Where the reply is published (with its #reply-<id> anchor). */
  replyUrl: string;
  trackUrl: string;
  contactPhone: string;
  contactMailbox: string;
  /** True when an edited reply is sent again (再通知). */
  updated: boolean;
};

export function replyNotification(c: ReplyMailContext): RenderedMail {
  const subject = c.updated
    ? `【意見箱】ご意見への回答を更新しました(受付番号 ${c.trackingNumber})`
    : `【意見箱】ご意見への回答を掲載しました(受付番号 ${c.trackingNumber})`;
  const target = `${sectionLabel(c.sectionNumber)}${c.itemNumber === null ? '' : itemLabel(c.itemNumber)}`;
  const lead = c.updated
    ? 'お寄せいただいたご意見への区からの回答を更新しましたので、お知らせします。'
    : 'お寄せいただいたご意見に、区からの回答を掲載しましたので、お知らせします。';
  const facts: Array<[string, string]> = [
    ['受付番号', c.trackingNumber],
    ['通報', c.reportTitle],
    ['対象', target],
    ['受付日時', `${formatDateTime(c.receivedAt)}(北京時間)`],
  ];
  const text = [
    'ご意見をお寄せいただいた方へ',
    '',
    lead,
    '',
    ...facts.map(([k, v]) => `${k}:${v}`),
    '',
    '―― 回答 ――',
    c.replyBody,
    '――――――――',
    '',
    `回答の掲載ページ:${c.replyUrl}`,
    `受付番号で状況を確認できます:${c.trackUrl}`,
    '',
    '【お問い合わせ】',
    `電話:${c.contactPhone}`,
    `郵便:${c.contactMailbox}`,
    '',
    'このメールは送信専用です。お心当たりのない場合は破棄してください。',
    '',
  ].join('\n');
  const link = (href: string) => `<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>`;
  const html = [
    `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    '<p>ご意見をお寄せいただいた方へ</p>',
    `<p>${escapeHtml(lead)}</p>`,
    `<table cellpadding="4">${facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
    '<h2>回答</h2>',
    `<blockquote style="white-space:pre-wrap;border-left:4px solid #ccc;margin:0;padding:0 0 0 1em">${escapeHtml(c.replyBody)}</blockquote>`,
    `<p>回答の掲載ページ:${link(c.replyUrl)}</p>`,
    `<p>受付番号で状況を確認できます:${link(c.trackUrl)}</p>`,
    '<h2>お問い合わせ</h2>',
    `<p>電話:${escapeHtml(c.contactPhone)}<br>郵便:${escapeHtml(c.contactMailbox)}</p>`,
    '<p>このメールは送信専用です。お心当たりのない場合は破棄してください。</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
