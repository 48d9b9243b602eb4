// One envelope for every message: a mail is a subject and a list of blocks,
// and the text and HTML parts are both drawn from those blocks, so they carry
// the same content and every value is escaped in the HTML in one place.

import { formatDate, formatDateTime } from '~/utils/local-time';

export type RenderedMail = { subject: string; text: string; html: string };

export type MailBlock =
  /** A paragraph; line breaks are kept. */
  | { kind: 'paragraph'; text: string }
  /** Label:value rows. */
  | { kind: 'facts'; rows: Array<[string, string]> }
  /** A heading for the block that follows it. */
  | { kind: 'heading'; text: string }
  /** Text someone wrote (an opinion, a reply), quoted under a title. */
  | { kind: 'quote'; title: string; text: string }
  /** A link written out in full, after a label. */
  | { kind: 'link'; label: string; href: string };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function blockText(b: MailBlock): string {
  switch (b.kind) {
    case 'paragraph':
      return b.text;
    case 'facts':
      return b.rows.map(([k, v]) => `${k}:${v}`).join('\n');
    case 'heading':
      return `【${b.text}】`;
    case 'quote':
      return `―― ${b.title} ――\n${b.text}\n――――――――`;
    case 'link':
      return `${b.label}:${b.href}`;
  }
}

function blockHtml(b: MailBlock): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(b.text).replace(/\n/g, '<br>')}</p>`;
    case 'facts':
      return `<table cellpadding="4" style="border-collapse:collapse">${b.rows
        .map(([k, v]) => `<tr><th align="left" valign="top">${escapeHtml(k)}</th><td>${escapeHtml(v).replace(/\n/g, '<br>')}</td></tr>`)
        .join('')}</table>`;
    case 'heading':
      return `<h2>${escapeHtml(b.text)}</h2>`;
    case 'quote':
      return `<h2>${escapeHtml(b.title)}</h2>\n<blockquote style="white-space:pre-wrap;border-left:4px solid #ccc;margin:0;padding:0 0 0 1em">${escapeHtml(b.text)}</blockquote>`;
    case 'link':
      return `<p>${escapeHtml(b.label)}:<a href="${escapeHtml(b.href)}">${escapeHtml(b.href)}</a></p>`;
  }
}

/** The text and HTML parts of a message made of `blocks`. */
export function composeMail(subject: string, blocks: MailBlock[]): RenderedMail {
  // A heading sits directly above its block in the text part; other blocks are a blank line apart.
  const text = blocks.map((b, i) => blockText(b) + (i === blocks.length - 1 ? '\n' : b.kind === 'heading' ? '\n' : '\n\n')).join('');
  const html = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>\n${blocks
    .map(blockHtml)
    .join('\n')}\n</body></html>`;
  return { subject, text, html };
}

/** The office's published contacts under a heading. */
export function contactBlocks(phone: string, mailbox: string, heading = 'お問い合わせ'): MailBlock[] {
  return [
    { kind: 'heading', text: heading },
    {
      kind: 'facts',
      rows: [
        ['電話', phone],
        ['郵便', mailbox],
      ],
    },
  ];
}

export const SEND_ONLY_NOTE: MailBlock = { kind: 'paragraph', text: 'このメールは送信専用です。お心当たりのない場合は破棄してください。' };

/** 2026年11月27日 09:30(北京時間): the office's clock, said so for readers elsewhere. */
export function mailDateTime(iso: string): string {
  return `${formatDateTime(iso)}(北京時間)`;
}

/** A deadline is the end of a day: its date only. */
export function mailDueDate(iso: string): string {
  return `${formatDate(iso)}まで`;
}
