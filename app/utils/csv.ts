// CSV for spreadsheet users (RFC 4180). Pure: the byte-order mark that makes
// Excel read UTF-8 is added by the route that serves the file, so rows can be
// produced in batches and streamed.

/** Prepended once to a whole file so Excel detects UTF-8. */
export const CSV_BOM = '\uFEFF';

// A cell a spreadsheet would evaluate as a formula (or that starts with a
// control character that some spreadsheets strip before evaluating). Checked
// after NFKC, so full-width ＝＋－＠ (which Japanese Excel also accepts) count,
// and after leading spaces, which some spreadsheets skip.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a single quote to a cell that a spreadsheet would read as a formula. */
export function neutralizeCell(value: string): string {
  const probe = value.normalize('NFKC').replace(/^ +/, '');
  return FORMULA_START.test(probe) || FORMULA_START.test(value) ? `'${value}` : value;
}

/** Quotes a (neutralized) cell when it holds a comma, a quote or a line break. */
export function quoteCell(value: string): string {
  const safe = neutralizeCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record with its CRLF terminator. */
export function toCsvRow(cells: readonly string[]): string {
  return cells.map(quoteCell).join(',') + '\r\n';
}

/** Records joined with CRLF (every record, the last included, ends with CRLF). No BOM. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map(toCsvRow).join('');
}
