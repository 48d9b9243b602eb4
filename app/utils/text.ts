// One way to clean and count what a person typed, for every field: opinions,
// notes, replies, templates, names. Browser-safe (no zod), so a form can count
// the way the server does.
//
// Lengths are code points ([...s].length): 👍 is one character, as a person
// counts it (a ZWJ family emoji is several). Text is NFC first, so a
// decomposed が (か + ゛) counts once.

// C0 and C1 controls and DEL; the invisible characters that reorder text
// (bidi embeddings, overrides, isolates and marks) or hide in it (zero-width
// space, word joiner, BOM). ZWJ (U+200D) stays: emoji sequences need it.
// eslint-disable-next-line no-control-regex
const INVISIBLE = '\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF';
const INVISIBLE_EXCEPT_BREAKS = new RegExp(`[${INVISIBLE}]`, 'g');
// eslint-disable-next-line no-control-regex
const INVISIBLE_AND_BREAKS = new RegExp(`[${INVISIBLE}\\t\\n\\r]`, 'g');

export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Multi-line text: NFC, CRLF/CR → LF, invisible characters other than LF and tab removed, trimmed. */
export function cleanMultiline(s: string): string {
  return s.normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLE_EXCEPT_BREAKS, '').trim();
}

/** One-line text: NFC, line breaks and tabs become one space, invisible characters removed, trimmed. */
export function cleanLine(s: string): string {
  return s.normalize('NFC').replace(/[\r\n\t]+/g, ' ').replace(INVISIBLE_AND_BREAKS, '').trim();
}

/** The same, with runs of white space folded to one space (names, titles, addresses). */
export function cleanWords(s: string): string {
  return cleanLine(s).replace(/\s+/g, ' ');
}
