// The documents of the grams index (decision 013): every character and every
// pair of neighbouring characters of an opinion's text, separated by spaces,
// so that FTS5's unicode61 tokenizer sees each as one token and a search of
// one or two characters is a token lookup instead of a scan of every row.
//
// Plain JavaScript: the background writer thread (app/server/db-background.worker.mjs)
// loads it as it is, and the inbox's search imports it through the bundle.

/** Characters FTS5's unicode61 tokenizer keeps in tokens by default (L*, N*, Co); anything else separates. */
const TOKEN_RUN = /[\p{L}\p{N}\p{Co}]+/gu;
const TOKEN_CHARS = /^[\p{L}\p{N}\p{Co}]+$/u;

/**
 * The grams document for an opinion's text fields (each field on its own: no pair spans two).
 * @param {...(string | null)} fields
 * @returns {string}
 */
export function searchGrams(...fields) {
  const grams = new Set();
  for (const field of fields) {
    if (!field) continue;
    for (const run of field.normalize('NFC').match(TOKEN_RUN) ?? []) {
      const chars = [...run];
      for (let i = 0; i < chars.length; i++) {
        grams.add(chars[i]);
        if (i + 1 < chars.length) grams.add(chars[i] + chars[i + 1]);
      }
    }
  }
  return [...grams].join(' ');
}

/**
 * Whether the grams index can answer `term`: one or two characters, none of them a separator.
 * @param {string} term
 * @returns {boolean}
 */
export function isGramTerm(term) {
  const n = [...term].length;
  return n >= 1 && n <= 2 && TOKEN_CHARS.test(term);
}
