import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { checkNotice, guessLegacyEncoding, parseNotice, NoticeParseError, type ParsedNotice } from '~/domain/notice-parser.server';

const SEED_PATH = fileURLToPath(new URL('../../db/content/xiuzhou-inspection-2023.txt', import.meta.url));
const SEED_BYTES = readFileSync(SEED_PATH);
const SEED = SEED_BYTES.toString('utf8');
const SEED_LINES = SEED.split('\n');

/** Returns the seed with some of its (1-based) lines edited; line numbers stay stable. */
function seedWith(edits: Record<number, string>): string {
  const lines = [...SEED_LINES];
  for (const [no, text] of Object.entries(edits)) {
    const i = Number(no) - 1;
    if (i < 0 || i >= lines.length) throw new Error(`bad line ${no}`);
    lines[i] = text;
  }
  return lines.join('\n');
}

function line(no: number): string {
  return SEED_LINES[no - 1];
}

function parseError(input: string | Uint8Array): NoticeParseError {
  let thrown: unknown;
  try {
    parseNotice(input);
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('expected parseNotice to throw, but it returned');
  expect(thrown).toBeInstanceOf(NoticeParseError);
  return thrown as NoticeParseError;
}

function expectError(input: string | Uint8Array, lineNo: number, problem: RegExp | string): NoticeParseError {
  const err = parseError(input);
  expect(err.line).toBe(lineNo);
  if (typeof problem === 'string') expect(err.problem).toBe(problem);
  else expect(err.problem).toMatch(problem);
  expect(err.message).toBe(`${lineNo}行目: ${err.problem}`);
  return err;
}

const KANJI = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
function kanji(n: number): string {
  const t = Math.floor(n / 10);
  const o = n % 10;
  return t === 0 ? KANJI[o] : `${t === 1 ? '' : KANJI[t]}十${KANJI[o]}`;
}

/** A minimal well-formed notice with the given number of items per section. */
function synthetic(itemCounts: number[]): string {
  const out = [
    '現在の場所:トップページ',
    '>政務公開>公示公告',
    '',
    '表題',
    '',
    '公開日:2024-02-2918:30 情報ソース:某弁公室 ブラウズ回数:',
    '',
    '巡視改善活動では、何もしなかった。',
    '',
  ];
  itemCounts.forEach((count, s) => {
    out.push(`${kanji(s + 1)}、第${s + 1}の問題`, '');
    for (let i = 1; i <= count; i++) out.push(`(${kanji(i)})見出し${s + 1}-${i}。本文${s + 1}-${i}。`, '');
  });
  out.push(
    '次のステップでは、続ける。',
    '',
    '連絡先:電話012-3456、郵便ポスト:どこか1号。',
    '',
    '発行者',
    '',
    '2024年3月1日',
  );
  return out.join('\n');
}

describe('parseNotice on the bundled Xiuzhou notice', () => {
  const notice: ParsedNotice = parseNotice(SEED);
  const allItems = notice.sections.flatMap((s) => s.items);

  it('finds 13 sections numbered 1..13 with the expected item counts (52 items)', () => {
    expect(notice.sections).toHaveLength(13);
    expect(notice.sections.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(notice.sections.map((s) => s.items.length)).toEqual([5, 3, 6, 3, 5, 4, 3, 3, 5, 3, 5, 4, 3]);
    expect(allItems).toHaveLength(52);
  });

  it('restarts item numbering at 1 in every section', () => {
    for (const s of notice.sections) {
      expect(s.items.map((i) => i.number)).toEqual(Array.from({ length: s.items.length }, (_, k) => k + 1));
    }
  });

  it('takes section titles from the text after the numeral marker', () => {
    expect(notice.sections[0].title).toBe(
      '「区委員会は習近平新時代の中国の特色ある社会主義思想を学ぶ上で不足している」問題の改善状況について',
    );
    expect(notice.sections[10].title).toBe(
      '「村社党組織の戦闘力、凝集力と農村振興推進の要求にはまだ差がある」問題の改善状況',
    );
    expect(notice.sections[12].title).toBe('「捺染業界の整備推進に力が入らない」問題の改善状況');
    for (const s of notice.sections) expect(s.title).not.toMatch(/^[一二三四五六七八九十]+、/);
  });

  it('splits each item into a first-sentence heading and a body', () => {
    const first = notice.sections[0].items[0];
    expect(first.heading).toBe('政策支持を強化する。');
    expect(first.body.startsWith('「運河湾新城建設の加速に関する決定」を公布し、')).toBe(true);
    expect(first.body.endsWith('都市化率が年々向上することを推進する。')).toBe(true);
    expect(notice.sections[2].items[0].heading).toBe('競馬の強化。');
    expect(notice.sections[2].items[4].heading).toBe('人材募集を深化させ、知恵を引き出す。');
    expect(notice.sections[12].items[2].heading).toBe('特定項目の整備を展開する。');
    // heading + body reconstructs the printed line exactly (minus the marker)
    expect(`(一)${first.heading}${first.body}`).toBe(line(16));
    for (const item of allItems) {
      expect(item.heading).toMatch(/^[^(（\s][^。]*。$/);
      expect(item.body).toBe(item.body.trim());
      expect(item.body.length).toBeGreaterThan(0);
    }
  });

  it('extracts the header fields', () => {
    expect(notice.breadcrumb).toEqual(['トップページ', '政務公開', '公示公告']);
    expect(notice.title).toBe(
      '第15期省委員会第1回巡視整備の進展状況に関する中国共産党嘉興市秀洲区委員会の通報',
    );
    expect(notice.publishedAt).toBe('2023-07-03T09:00:00+08:00');
    expect(notice.sourceOffice).toBe('秀洲区委員会弁公室');
  });

  it('extracts intro, summary and next steps', () => {
    expect(notice.intro).toEqual([line(8), line(10)]);
    expect(notice.intro[0].startsWith('省委員会の統一的な配置に基づき')).toBe(true);
    expect(notice.summary.startsWith('巡視改善活動では')).toBe(true);
    expect(notice.summary).toBe(line(12));
    expect(notice.nextSteps).toHaveLength(1);
    expect(notice.nextSteps[0].startsWith('次のステップでは')).toBe(true);
    expect(notice.nextSteps[0]).toBe(line(144));
  });

  it('extracts the closing, contact details, issuer and date', () => {
    expect(notice.closing).toBe(line(146));
    expect(notice.closing.startsWith('広範な幹部と大衆が')).toBe(true);
    expect(notice.phone).toBe('0573-827222911');
    expect(notice.mailbox).toBe('嘉興市秀洲区洪興路1765号秀洲区行政センター527室');
    expect(notice.issuer).toBe('中国共産党嘉興市秀洲区委員会');
    expect(notice.issuedOn).toBe('2023-07-03');
  });

  it('drops the page furniture', () => {
    expect(SEED).toContain('このページを印刷');
    const json = JSON.stringify(notice);
    expect(json).not.toContain('このページを印刷');
    expect(json).not.toContain('ウィンドウを閉じる');
  });
});

describe('parseNotice input normalisation', () => {
  const expected = parseNotice(SEED);

  it('accepts UTF-8 bytes (Uint8Array and Buffer) with the same result', () => {
    expect(parseNotice(new Uint8Array(SEED_BYTES))).toEqual(expected);
    expect(parseNotice(SEED_BYTES)).toEqual(expected);
  });

  it('strips a BOM from strings and bytes', () => {
    expect(parseNotice('\uFEFF' + SEED)).toEqual(expected);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...SEED_BYTES]);
    expect(parseNotice(bom)).toEqual(expected);
  });

  it('normalises CRLF and CR line endings without shifting line numbers', () => {
    expect(parseNotice(SEED.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(parseNotice(SEED.replace(/\n/g, '\r'))).toEqual(expected);
    const gap = seedWith({ 34: line(34).replace(/^三、/, '四、') });
    expectError(gap.replace(/\n/g, '\r\n'), 34, '第3項の番号が飛んでいます(二の次が四)');
  });

  it('normalises to NFC', () => {
    const nfd = SEED.normalize('NFD');
    expect(nfd).not.toBe(SEED);
    expect(parseNotice(nfd)).toEqual(expected);
  });

  it('accepts full-width item parentheses and full-width colons in the contact line', () => {
    const fullWidth = SEED.replace(/^\(([一二三四五六七八九十]+)\)/gm, '（$1）').replace(
      '連絡先:電話0573-827222911、郵便ポスト:',
      '連絡先：電話0573-827222911、郵便ポスト：',
    );
    expect(fullWidth).not.toBe(SEED);
    expect(fullWidth).toContain('（一）政策支持を強化する。');
    expect(parseNotice(fullWidth)).toEqual({
      ...expected,
      closing: expected.closing.replace(/:/g, '：'),
    });
  });

  it('tolerates surrounding blank lines, trailing whitespace and a final newline', () => {
    expect(parseNotice(`\n\n${SEED.replace(/\n/g, '  \n')}\n`)).toEqual(expected);
  });

  it('handles Chinese numerals from 一 to 九十九', () => {
    const counts = Array.from({ length: 99 }, (_, i) => (i === 98 ? 21 : 1));
    const parsed = parseNotice(synthetic(counts));
    expect(parsed.sections).toHaveLength(99);
    expect(parsed.sections.map((s) => s.number)).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
    expect(parsed.sections[10].title).toBe('第11の問題');
    expect(parsed.sections[20].title).toBe('第21の問題');
    expect(parsed.sections[98].items.map((i) => i.number)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(parsed.sections[98].items[20].heading).toBe('見出し99-21。');
    expect(parsed.publishedAt).toBe('2024-02-29T18:30:00+08:00');
    expect(parsed.issuedOn).toBe('2024-03-01');
  });

  it('keeps an item whose text has no 。 as a heading with an empty body', () => {
    const text = synthetic([1]).replace('(一)見出し1-1。本文1-1。', '(一)句点のない見出し');
    const parsed = parseNotice(text);
    expect(parsed.sections[0].items[0]).toEqual({ number: 1, heading: '句点のない見出し', body: '' });
  });
});

describe('parseNotice rejects malformed input', () => {
  it('rejects empty or whitespace-only input at line 1', () => {
    expectError('', 1, /空/);
    expectError('   \n\t\n\u3000\n', 1, /空/);
    expectError('\uFEFF', 1, /空/);
    expectError(new Uint8Array(0), 1, /空/);
  });

  it('rejects bytes that are not UTF-8 at line 1', () => {
    expectError(new Uint8Array([0xff, 0xfe, 0x41]), 1, /UTF-8として読めません/);
    const broken = new Uint8Array([...SEED_BYTES.subarray(0, 5000), 0xc3, 0x28, ...SEED_BYTES.subarray(5000)]);
    expectError(broken, 1, /UTF-8として読めません/);
    // Shift-JIS bytes of 現在の場所
    expectError(new Uint8Array([0x8c, 0xbb, 0x8d, 0xdd, 0x82, 0xcc, 0x8f, 0xea]), 1, /UTF-8として読めません/);
  });

  it('rejects strings with lone surrogates (not encodable as UTF-8), naming the line', () => {
    expectError(seedWith({ 8: line(8) + '\uD800' }), 8, /UTF-8として読めません/);
  });

  it('rejects a gap in section numbering (一、二、四)', () => {
    expectError(seedWith({ 34: line(34).replace(/^三、/, '四、') }), 34, '第3項の番号が飛んでいます(二の次が四)');
  });

  it('rejects sections out of order or not starting at 一', () => {
    expectError(seedWith({ 34: line(34).replace(/^三、/, '二、') }), 34, /第3項の番号が順番どおりではありません\(二の次が二\)/);
    expectError(seedWith({ 14: line(14).replace(/^一、/, '二、') }), 14, /第1項の番号が一ではありません/);
    expectError(seedWith({ 114: line(114).replace(/^十一、/, '十十、') }), 114, /漢数字として読めません/);
  });

  it('rejects a gap in item numbering within a section', () => {
    expectError(seedWith({ 20: line(20).replace(/^\(三\)/, '(四)') }), 20, '第1項の措置の番号が飛んでいます((二)の次が(四))');
  });

  it('rejects an item sequence that does not restart at (一) in a new section', () => {
    expectError(seedWith({ 28: line(28).replace(/^\(一\)/, '(六)') }), 28, /第2項の最初の措置の番号が\(一\)ではありません/);
  });

  it('rejects a section marker without title text', () => {
    expectError(seedWith({ 26: '二、' }), 26, /第2項の表題がありません/);
    expectError(seedWith({ 26: '二、\u3000 ' }), 26, /第2項の表題がありません/);
  });

  it('rejects an item before any section', () => {
    expectError(seedWith({ 10: '(一)前置きの措置。本文。' }), 10, /より前に措置/);
  });

  it('rejects a missing title line', () => {
    expectError(seedWith({ 4: '' }), 6, /表題行がありません/);
    expectError('現在の場所:トップページ\n>政務公開>公示公告\n', 2, /表題行がありません/);
  });

  it('rejects input without the breadcrumb', () => {
    expectError(seedWith({ 1: '', 2: '' }), 4, /パンくず/);
  });

  it('rejects a section without items', () => {
    expectError(seedWith({ 138: '', 140: '', 142: '' }), 136, '第13項に措置がありません');
    expectError(seedWith({ 28: '', 30: '', 32: '' }), 26, '第2項に措置がありません');
  });

  it('rejects a stray paragraph inside a section', () => {
    expectError(seedWith({ 20: '措置番号のない段落' }), 20, /第1項の中に想定外の段落/);
  });

  it('rejects a missing summary paragraph', () => {
    expectError(seedWith({ 12: '' }), 14, /巡視改善活動では/);
  });

  it('rejects missing contact details, naming the last line', () => {
    const noContact = seedWith({ 146: '広範な幹部と大衆が巡視整備の実施状況を監督することを歓迎する。' });
    expectError(noContact, 151, /連絡先/);
  });

  it('rejects a closing paragraph missing the phone or the mailbox', () => {
    expectError(seedWith({ 146: line(146).replace('電話0573-827222911、', '') }), 146, /電話番号がありません/);
    expectError(
      seedWith({ 146: line(146).replace('、郵便ポスト:嘉興市秀洲区洪興路1765号秀洲区行政センター527室', '') }),
      146,
      /郵便ポスト/,
    );
  });

  it('rejects a missing next-steps paragraph, issuer or date', () => {
    expectError(seedWith({ 144: '' }), 146, /次のステップでは/);
    expectError(seedWith({ 149: '' }), 151, /発行者/);
    expectError(seedWith({ 151: '' }), 149, /日付/);
    expectError(seedWith({ 151: '2023年2月30日' }), 151, /日付が正しくありません/);
  });

  it('rejects a malformed publication date', () => {
    expectError(seedWith({ 6: line(6).replace('2023-07-0309:00', '2023年7月3日') }), 6, /公開日/);
    expectError(seedWith({ 6: line(6).replace('2023-07-0309:00', '2023-13-0309:00') }), 6, /公開日/);
  });

  it('throws NoticeParseError (never a TypeError) for non-string runtime values', () => {
    for (const bad of [null, undefined, 42, {}, [], new ArrayBuffer(4)]) {
      const err = parseError(bad as unknown as string);
      expect(err.line).toBe(1);
    }
  });

  it('only ever throws NoticeParseError, with an in-range line number, for mutated input', () => {
    // Deterministic PRNG (mulberry32) so failures are reproducible.
    let seed = 0x1234abcd;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const junk = ['', '(', '（', '一、', '(一)', '十、', '>', '現在の場所:', '公開日:', '連絡先:電話', '。', '\r', '\u0000', '\uD800', '\uFEFF', '\u3000'];
    let failures = 0;
    for (let round = 0; round < 400; round++) {
      const lines = [...SEED_LINES];
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const i = Math.floor(rand() * lines.length);
        const op = Math.floor(rand() * 5);
        if (op === 0) lines.splice(i, 1);
        else if (op === 1) lines.splice(i, 0, lines[Math.floor(rand() * lines.length)]);
        else if (op === 2) lines[i] = pick(junk) + lines[i];
        else if (op === 3) lines[i] = lines[i].slice(0, Math.floor(rand() * (lines[i].length + 1)));
        else lines[i] = pick(junk);
      }
      let text = lines.join('\n');
      if (round % 10 === 0) text = text.slice(0, Math.floor(rand() * text.length));
      const lineCount = text.replace(/\r\n?/g, '\n').split('\n').length;
      try {
        parseNotice(text);
      } catch (err) {
        failures++;
        expect(err).toBeInstanceOf(NoticeParseError);
        const { line: at } = err as NoticeParseError;
        expect(Number.isInteger(at)).toBe(true);
        expect(at).toBeGreaterThanOrEqual(1);
        expect(at).toBeLessThanOrEqual(lineCount);
      }
    }
    // the mutations must actually exercise the error paths
    expect(failures).toBeGreaterThan(100);
  });
});

describe('checkNotice (the console preview)', () => {
  const lineOf = (prefix: string) => SEED_LINES.findIndex((l) => l.startsWith(prefix)) + 1;

  it('returns the notice and no errors for a valid text, as parseNotice does', () => {
    const result = checkNotice(SEED);
    expect(result.errors).toEqual([]);
    expect(result.notice).toEqual(parseNotice(SEED));
  });

  it('lists every recoverable problem with its line, in order, the first being what parseNotice throws', () => {
    const three = lineOf('三、');
    const six = lineOf('六、');
    const closing = SEED_LINES.findIndex((l) => l.includes('連絡先')) + 1;
    const text = seedWith({
      [three]: line(three).replace(/^三、/, '四、'),
      [six]: '六、',
      [closing]: line(closing).replace(/電話[0-9-]+/, '電話番号は後日'),
    });
    const { notice, errors } = checkNotice(text);
    expect(notice).toBeNull();
    expect(errors.map((e) => [e.line, e.problem])).toEqual([
      [three, '第3項の番号が飛んでいます(二の次が四)'],
      [six, '第6項の表題がありません(「六、」の後が空です)'],
      [closing, '結びの段落の連絡先に電話番号がありません'],
    ]);
    expect(parseError(text).message).toBe(errors[0].message);
  });

  it('still stops at a problem that leaves the rest unreadable', () => {
    const { errors } = checkNotice(seedWith({ 1: '表題だけ' }));
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(1);
  });
});

describe('text that is not UTF-8', () => {
  // "意見募集のお知らせ。ご意見をお寄せください。" in Shift_JIS and in GB18030.
  const SHIFT_JIS = Buffer.from('88d38ca995e58f5782cc82a8926d82e782b9814282b288d38ca982f082a88af182b982ad82be82b382a28142', 'hex');
  const GB18030 = Buffer.from('d2e2d28ac4bcbcafa4cea4aad6aaa4e9a4bba1a3a4b4d2e2d28aa4f2a4aabcc4a4bba4afa4c0a4b5a4a4a1a3', 'hex');
  // "情况通报：全面加强监督。" (Chinese) in GB18030.
  const GB_CHINESE = Buffer.from('c7e9bff6cda8b1a8a3bac8abc3e6bcd3c7bfbce0b6bda1a3', 'hex');

  it('names the likely encoding', () => {
    expect(guessLegacyEncoding(SHIFT_JIS)).toBe('Shift_JIS');
    expect(guessLegacyEncoding(GB18030)).toBe('GB18030');
    expect(guessLegacyEncoding(GB_CHINESE)).toBe('GB18030');
    expect(guessLegacyEncoding(new Uint8Array([0xff, 0xfe, 0x41, 0x00]))).toBe('UTF-16');
  });

  it('says so in the parse error', () => {
    expectError(SHIFT_JIS, 1, /^UTF-8として読めません\(文字コードがShift_JISのようです\)/);
    expectError(GB18030, 1, /GB18030のようです/);
  });
});
