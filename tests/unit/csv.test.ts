// CSV rules: RFC 4180 quoting and neutralization of formula-like cells. The
// byte-order mark is the route's job (toCsv returns text without it).
import { describe, expect, it } from 'vitest';
import { CSV_BOM, neutralizeCell, quoteCell, toCsv, toCsvRow } from '~/utils/csv';

describe('toCsv', () => {
  it('ends every record with CRLF and leaves plain cells unquoted', () => {
    expect(toCsv([['受付番号', '意見'], ['A-1', '駐車場について']])).toBe('受付番号,意見\r\nA-1,駐車場について\r\n');
  });

  it('quotes cells holding a comma, a quote, CR or LF, doubling quotes', () => {
    expect(toCsvRow(['a,b'])).toBe('"a,b"\r\n');
    expect(toCsvRow(['彼は"はい"と言った'])).toBe('"彼は""はい""と言った"\r\n');
    expect(toCsvRow(['一行目\n二行目'])).toBe('"一行目\n二行目"\r\n');
    expect(toCsvRow(['a\r\nb'])).toBe('"a\r\nb"\r\n');
    expect(toCsvRow(['', 'x'])).toBe(',x\r\n');
  });

  it('does not add the byte-order mark itself', () => {
    expect(toCsv([['a']]).startsWith(CSV_BOM)).toBe(false);
    expect(CSV_BOM).toBe('\uFEFF');
  });
});

describe('neutralizeCell', () => {
  it.each(['=1+1', '+81-3', '-2', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil","x")'])('prefixes %j with a quote', (cell) => {
    expect(neutralizeCell(cell)).toBe(`'${cell}`);
  });

  it('leaves other cells alone', () => {
    for (const cell of ['駐車場', 'a=b', '1-2', '', "'already"]) expect(neutralizeCell(cell)).toBe(cell);
  });

  it('is applied before quoting', () => {
    expect(quoteCell('=1,2')).toBe(`"'=1,2"`);
    expect(toCsvRow(['=cmd|"/c calc"!A1'])).toBe(`"'=cmd|""/c calc""!A1"\r\n`);
  });
});

describe('neutralizeCell with full-width and spaced formulas', () => {
  it.each(['＝1+1', '＋cmd', '－2', '＠SUM(A1)', '  =1+1'])('neutralizes %s', (value) => {
    expect(neutralizeCell(value)).toBe(`'${value}`);
  });
  it('leaves ordinary Japanese text alone', () => {
    expect(neutralizeCell('駐車場について')).toBe('駐車場について');
  });
});
