// A notice file's bytes, made into the text notice-parser.server.ts reads.
import { NoticeParseError } from './notice-parse-error.server';

// Text a person would recognise: kana, CJK ideographs, CJK punctuation and
// full-width forms. Half-width katakana is what Shift_JIS makes of GB bytes.
const READABLE_RE = /[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]/gu;
const HIRAGANA_RE = /[\u3041-\u3096]/gu;
const GARBLE_RE = /[\uff61-\uff9f\ufffd\u0080-\u009f]/gu;

function readability(bytes: Uint8Array, encoding: string): number {
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return -Infinity;
  }
  // Hiragana weighs most: a wrong two-byte decoding still yields ideographs,
  // but almost never the hiragana that Japanese prose is full of.
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  return count(READABLE_RE) + 2 * count(HIRAGANA_RE) - 4 * count(GARBLE_RE);
}

/**
 * The encoding bytes that are not UTF-8 were most likely written in, for a
 * message a person can act on: a UTF-16 byte-order mark, or whichever of
 * Shift_JIS and GB18030 reads as more Japanese/Chinese text. Null when
 * neither reads as text.
 */
export function guessLegacyEncoding(bytes: Uint8Array): 'UTF-16' | 'Shift_JIS' | 'GB18030' | null {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    return 'UTF-16';
  const sample = bytes.subarray(0, 64 * 1024);
  const sjis = readability(sample, 'shift_jis');
  const gb = readability(sample, 'gb18030');
  if (Math.max(sjis, gb) <= 0) return null;
  return sjis >= gb ? 'Shift_JIS' : 'GB18030';
}

function decodeInput(input: unknown): string {
  if (typeof input === 'string') return input;
  if (input instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      const guess = guessLegacyEncoding(input);
      throw new NoticeParseError(1, guess ? 'models:parse.notUtf8Guess' : 'models:parse.notUtf8', { encoding: guess });
    }
  }
  throw new NoticeParseError(1, 'models:parse.notText');
}

function lineOfIndex(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) line++;
  }
  return line;
}

// Lone surrogates (a string that cannot be encoded as UTF-8).
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls other than TAB and LF, and DEL (CR has already been normalised).
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function normalize(raw: string): string {
  let text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  text = text.replace(/\r\n?/g, '\n');
  const surrogate = LONE_SURROGATE_RE.exec(text);
  if (surrogate) {
    throw new NoticeParseError(lineOfIndex(text, surrogate.index), 'models:parse.loneSurrogate');
  }
  const control = CONTROL_RE.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new NoticeParseError(lineOfIndex(text, control.index), 'models:parse.controlChar', { code });
  }
  return text.normalize('NFC');
}

/**
 * The notice as text the parser reads: UTF-8 bytes decoded (anything else
 * named, with a guess at its encoding), a byte-order mark dropped, line ends
 * made LF, NFC; a lone surrogate or a control character is a NoticeParseError
 * on its line.
 */
export function noticeText(input: unknown): string {
  return normalize(decodeInput(input));
}
