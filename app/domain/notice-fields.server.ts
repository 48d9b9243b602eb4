// The notice's fields read from one line each: the published date and source
// office of the meta line, the issue date, the closing's phone and mailbox.
// Each failure is a NoticeParseError with the line's number.
import type { Block } from './notice-blocks.server';
import { NoticeParseError } from './notice-parse-error.server';

export function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function isValidDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

export function parsePublishedAt(meta: Block): string {
  const m = /^公開日\s*[:：]\s*(\d{4})[-/](\d{1,2})[-/](\d{2})\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?/.exec(
    toAsciiDigits(meta.text)
  );
  if (!m) {
    throw new NoticeParseError(meta.line, 'models:parse.publishedUnreadable');
  }
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const s = m[6] !== undefined ? Number(m[6]) : 0;
  if (!isValidDate(y, mo, d) || h > 23 || mi > 59 || s > 59) {
    throw new NoticeParseError(meta.line, 'models:parse.publishedInvalid', {
      value: m[0].replace(/^公開日\s*[:：]\s*/, ''),
    });
  }
  return `${y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}+08:00`;
}

export function parseSourceOffice(meta: Block): string {
  const m = /情報ソース\s*[:：]\s*(\S+?)(?=\s|ブラウズ回数|$)/.exec(meta.text);
  if (!m) {
    throw new NoticeParseError(meta.line, 'models:parse.sourceMissing');
  }
  return m[1];
}

export function parseIssuedOn(block: Block): string {
  const m = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/.exec(toAsciiDigits(block.text));
  if (!m) {
    throw new NoticeParseError(block.line, 'models:parse.issuedOnUnreadable', { text: block.text });
  }
  const [y, mo, d] = [m[1], m[2], m[3]].map(Number);
  if (!isValidDate(y, mo, d)) {
    throw new NoticeParseError(block.line, 'models:parse.issuedOnInvalid', { text: block.text });
  }
  return `${y}-${pad2(mo)}-${pad2(d)}`;
}

export const PHONE_RE = /電話\s*[:：]?\s*([0-9０-９][0-9０-９\-－‐]*[0-9０-９])/;
export const MAILBOX_RE = /郵便ポスト\s*[:：]\s*([^。\n]+)/;

/** The start of a paragraph, for a message that quotes it. */
export function excerpt(block: Block): string {
  const t = block.text;
  return t.length > 20 ? `${t.slice(0, 20)}…` : t;
}
