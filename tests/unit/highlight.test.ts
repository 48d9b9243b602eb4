import { describe, expect, it } from 'vitest';
import { excerptParts, highlightParts, searchTerms } from '~/utils/highlight';

describe('searchTerms', () => {
  it('splits on ASCII and ideographic spaces and drops repeats', () => {
    expect(searchTerms(' 駐車場\u3000案内  駐車場 ')).toEqual(['駐車場', '案内']);
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms(undefined)).toEqual([]);
  });
});

describe('highlightParts', () => {
  it('marks every match and keeps the text around it', () => {
    expect(highlightParts('駐車場と駐車', ['駐車'])).toEqual([
      { text: '駐車', match: true },
      { text: '場と', match: false },
      { text: '駐車', match: true },
    ]);
  });

  it('prefers the longest term and ignores case', () => {
    expect(highlightParts('新しい駐車場', ['駐車', '駐車場'])).toEqual([
      { text: '新しい', match: false },
      { text: '駐車場', match: true },
    ]);
    expect(highlightParts('ABC abc', ['aBc'])).toEqual([
      { text: 'ABC', match: true },
      { text: ' ', match: false },
      { text: 'abc', match: true },
    ]);
  });

  it('treats regular-expression characters literally', () => {
    expect(highlightParts('a.b a*b (x)', ['a*b', '(x)'])).toEqual([
      { text: 'a.b ', match: false },
      { text: 'a*b', match: true },
      { text: ' ', match: false },
      { text: '(x)', match: true },
    ]);
  });

  it('returns the whole text unmarked without terms, and nothing for empty text', () => {
    expect(highlightParts('<b>本文</b>', [])).toEqual([{ text: '<b>本文</b>', match: false }]);
    expect(highlightParts('', ['a'])).toEqual([]);
  });
});

describe('excerptParts', () => {
  it('cuts long text around the first match with ellipses', () => {
    const text = 'あ'.repeat(200) + '駐車場' + 'い'.repeat(200);
    const parts = excerptParts(text, ['駐車場'], 40);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts.at(-1)).toEqual({ text: '…', match: false });
    expect(parts.filter((p) => p.match)).toEqual([{ text: '駐車場', match: true }]);
    expect([...parts.map((p) => p.text).join('')].length).toBe(42);
  });

  it('keeps short text whole and starts at the beginning without a match', () => {
    expect(excerptParts('短い\n意見', ['意見'])).toEqual([
      { text: '短い ', match: false },
      { text: '意見', match: true },
    ]);
    const parts = excerptParts('う'.repeat(100), ['x'], 10);
    expect(parts.map((p) => p.text).join('')).toBe('う'.repeat(10) + '…');
  });
});
