// Search-match highlighting done on plain text, so that the full-text (trigram)
// and the LIKE search paths mark matches the same way, and the page renders
// <mark> elements rather than HTML strings built from user text.

export type TextPart = { text: string; match: boolean };

/** Search terms as typed: split on any whitespace (including the ideographic space). */
export function searchTerms(q: string | null | undefined): string[] {
  if (!q) return [];
  const seen = new Set<string>();
  for (const term of q.trim().split(/[\s\u3000]+/u)) {
    if (term) seen.add(term);
  }
  return [...seen];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matcher(terms: readonly string[]): RegExp | null {
  const usable = terms.filter((t) => t.length > 0);
  if (usable.length === 0) return null;
  // Longest first, so 駐車場 wins over 駐車 where both would match.
  const alternatives = [...usable].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'giu');
}

/** Splits text into alternating plain and matching parts (case-insensitive). */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
  const re = matcher(terms);
  if (!re || !text) return text ? [{ text, match: false }] : [];
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start), match: false });
    parts.push({ text: m[0], match: true });
    last = start + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/**
 * A short window of the text around its first match (or its beginning),
 * split into parts; `…` marks where text was cut.
 */
export function excerptParts(text: string, terms: readonly string[], length = 80): TextPart[] {
  const chars = [...text.replace(/\s+/gu, ' ').trim()];
  const flat = chars.join('');
  if (chars.length <= length) return highlightParts(flat, terms);
  const re = matcher(terms);
  const hit = re ? re.exec(flat) : null;
  // Index in code points, so a cut never splits a surrogate pair.
  const hitAt = hit ? [...flat.slice(0, hit.index)].length : 0;
  const start = Math.max(0, Math.min(hitAt - Math.floor(length / 4), chars.length - length));
  const end = Math.min(chars.length, start + length);
  const window = chars.slice(start, end).join('');
  const parts = highlightParts(window, terms);
  if (start > 0) parts.unshift({ text: '…', match: false });
  if (end < chars.length) parts.push({ text: '…', match: false });
  return parts;
}
