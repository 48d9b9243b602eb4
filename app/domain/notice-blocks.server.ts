// The notice text as blocks the parser walks: paragraphs (lines joined), each
// of a kind (breadcrumb, meta line, section 一、, item (一), text), with the
// line it starts on.

// ---------------------------------------------------------------------------
// Chinese numerals (一 … 九十九)

const DIGIT_VALUES: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const NUMERAL_CLASS = '[一二三四五六七八九十]';

/** Parses 一 … 九十九 in the canonical form (十一, 二十, 二十一; not 一十). */
export function parseKanjiNumber(s: string): number | null {
  if (s.length === 1 && Object.prototype.hasOwnProperty.call(DIGIT_VALUES, s)) {
    return DIGIT_VALUES[s];
  }
  const m = /^([二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (!m) return null;
  const tens = m[1] !== undefined ? DIGIT_VALUES[m[1]] : 1;
  const ones = m[2] !== undefined ? DIGIT_VALUES[m[2]] : 0;
  return tens * 10 + ones;
}

// ---------------------------------------------------------------------------
// Line classification

export const SECTION_RE = new RegExp(`^(${NUMERAL_CLASS}+)、`);
export const ITEM_RE = new RegExp(`^[(（](${NUMERAL_CLASS}+)[)）]`);
export const BREADCRUMB_RE = /^現在の場所\s*[:：]/;
export const BREADCRUMB_CONT_RE = /^[>＞]/;
const META_RE = /^公開日\s*[:：]/;
const FURNITURE_RE = /^(?:このページを印刷|ウィンドウを閉じる)(?:\s*(?:このページを印刷|ウィンドウを閉じる))*$/;
export const SUMMARY_PREFIX = '巡視改善活動では';
export const NEXT_STEPS_PREFIX = '次のステップでは';
export const CONTACT_MARKER = '連絡先';

type Kind = 'breadcrumb' | 'breadcrumbCont' | 'meta' | 'section' | 'item' | 'text';

export type Line = { no: number; text: string };

export type Block = {
  kind: Kind;
  line: number; // 1-based line number of the first line of the block
  lines: Line[];
  text: string; // joined, trimmed text of all lines
};

function classify(text: string): Kind {
  if (BREADCRUMB_RE.test(text)) return 'breadcrumb';
  if (BREADCRUMB_CONT_RE.test(text)) return 'breadcrumbCont';
  if (META_RE.test(text)) return 'meta';
  if (SECTION_RE.test(text)) return 'section';
  if (ITEM_RE.test(text)) return 'item';
  return 'text';
}

/** Kinds that may absorb directly following plain-text lines (no blank line in between). */
const ABSORBS_CONTINUATION: ReadonlySet<Kind> = new Set<Kind>(['meta', 'section', 'item', 'text']);

function joinLines(kind: Kind, lines: Line[]): string {
  // Japanese text has no inter-word spaces, so wrapped lines are joined
  // directly; the meta line is joined with a space because its fields are
  // space-separated.
  return lines
    .map((l) => l.text)
    .join(kind === 'meta' ? ' ' : '')
    .trim();
}

export function buildBlocks(lines: Line[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  const close = () => {
    if (current) {
      current.text = joinLines(current.kind, current.lines);
      blocks.push(current);
      current = null;
    }
  };
  for (const line of lines) {
    if (line.text === '' || FURNITURE_RE.test(line.text)) {
      close();
      continue;
    }
    const kind = classify(line.text);
    const cur: Block | null = current;
    if (kind === 'text' && cur !== null && ABSORBS_CONTINUATION.has(cur.kind)) {
      cur.lines.push(line);
      continue;
    }
    close();
    current = { kind, line: line.no, lines: [line], text: '' };
  }
  close();
  return blocks;
}
