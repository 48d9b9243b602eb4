// One envelope for every message: a mail is a subject and a list of blocks,
// and the text and HTML parts are both drawn from those blocks, so they carry
// the same content and every value is escaped in the HTML in one place.

import type { TFunction } from 'i18next';
import { INTL_LOCALES, type Language } from '~/i18n/config';
import { getT } from '~/i18n/i18n.server';
import { formatDate, formatDateTime } from '~/utils/local-time';

/** A message's language: its `t` (namespaces mail, then common) and Intl locale. */
export type MailWords = { lng: Language; t: TFunction; locale: string };

export function mailWords(lng: Language): MailWords {
  return { lng, t: getT(lng, ['mail', 'common']), locale: INTL_LOCALES[lng] };
}

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
export function composeMail(subject: string, blocks: MailBlock[], lang: Language = 'ja'): RenderedMail {
  // A heading sits directly above its block in the text part; other blocks are a blank line apart.
  const text = blocks.map((b, i) => blockText(b) + (i === blocks.length - 1 ? '\n' : b.kind === 'heading' ? '\n' : '\n\n')).join('');
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>\n${blocks
    .map(blockHtml)
    .join('\n')}\n</body></html>`;
  return { subject, text, html };
}

/** The office's published contacts under a heading. */
export function contactBlocks(phone: string, mailbox: string, heading: string | undefined, w: MailWords): MailBlock[] {
  return [
    { kind: 'heading', text: heading ?? w.t('contacts') },
    {
      kind: 'facts',
      rows: [
        [w.t('channels.phone'), phone],
        [w.t('channels.post'), mailbox],
      ],
    },
  ];
}

// --- Text a stranger chose, in a message to an address a stranger typed -----------

/** The first `max` characters (code points) of `text`, and "(以下略)" on a line of its own when cut. */
export function excerpt(text: string, max: number, w?: MailWords): { text: string; cut: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, cut: false };
  return { text: `${chars.slice(0, max).join('').trimEnd()}\n${w ? w.t('omitted') : '(以下略)'}`, cut: true };
}

// Mail clients turn URLs, "www." names, bare domains and email addresses in a
// message into links, in the text part and the HTML part alike, whatever the
// HTML says. So the text itself is defanged, the way security notices write
// addresses: "https[:]//evil[.]example/x", "name[at]example[.]com". No client
// links that, in either part, and a reader still sees what was written. An
// invisible joiner would be copied along into a browser and is not honoured by
// every linkifier; the brackets are. Full-width forms (ｈｔｔｐ：／／) are left:
// clients do not link them.
const SCHEME = /([a-z][a-z0-9+.-]*):\/\//gi;
const AT = /[@＠]/g;
// A dot between letters or digits where the right side starts with a letter
// (example.com, www.x) or four dotted numbers (an IP address): the dots that
// make a host name. 3.5 and 2023.12 stay as written.
const HOST_DOT = /(?<=[a-z0-9-])[.．｡](?=[a-z])/gi;
const IPV4 = /\b\d{1,3}(?:[.．｡]\d{1,3}){3}\b/g;

/** `text` with every URL, host name and email address made unlinkable ("[:]//", "[.]", "[at]"). */
export function unlinkable(text: string): string {
  return text
    .replace(IPV4, (ip) => ip.replace(/[.．｡]/g, '[.]'))
    .replace(HOST_DOT, '[.]')
    .replace(AT, '[at]')
    .replace(SCHEME, '$1[:]//');
}

/** "This message is send-only", in a message's language. */
export function sendOnlyNote(w: MailWords): MailBlock {
  return { kind: 'paragraph', text: w.t('sendOnly') };
}

/** 2026年11月27日 09:30(北京時間): the office's clock, said so for readers elsewhere. */
export function mailDateTime(iso: string, w: MailWords): string {
  return w.t('dateTime', { date: formatDateTime(iso, w.locale) });
}

/** A deadline is the end of a day: its date only. */
export function mailDueDate(iso: string, w: MailWords): string {
  return w.t('dueDate', { date: formatDate(iso, w.locale) });
}
