// The numbered sections (一、二、…) and their lettered measures ((一)(二)…) of
// a notice, read block by block up to the next steps. A numbering slip or an
// empty heading is reported and reading goes on with the expected number, so
// that every such line is listed at once.
import { toKanjiNumber } from '~/utils/format';
import { type Block, CONTACT_MARKER, ITEM_RE, NEXT_STEPS_PREFIX, parseKanjiNumber, SECTION_RE } from './notice-blocks.server';
import { excerpt } from './notice-fields.server';
import { NoticeParseError } from './notice-parse-error.server';
import type { ParsedSection } from './notice-parser.server';

/** Reports a problem that leaves the structure readable. */
export type SoftProblem = (line: number, key: string, values?: Record<string, unknown>) => void;

/**
 * Reads sections from `blocks[start]` (a section block) until the next steps;
 * returns them with the index of the next-steps block (`blocks.length` when
 * there is none). Throws when the contact paragraph comes without next steps
 * before it.
 */
export function readSections(blocks: Block[], start: number, soft: SoftProblem): { sections: ParsedSection[]; end: number } {
  let pos = start;
  const sections: ParsedSection[] = [];
  const sectionLines: number[] = [];
  const checkHasItems = () => {
    const last = sections[sections.length - 1];
    if (last && last.items.length === 0) {
      soft(sectionLines[sectionLines.length - 1], 'models:parse.sectionWithoutItems', { n: last.number });
    }
  };

  while (pos < blocks.length) {
    const b = blocks[pos];
    if (b.kind === 'section') {
      checkHasItems();
      const m = SECTION_RE.exec(b.text);
      const numeral = m ? m[1] : '';
      const parsedNumber = parseKanjiNumber(numeral);
      const expected = sections.length + 1;
      // After a numbering problem the section counts as the expected one, so
      // that the sections after it are checked against the right numbers.
      const n = expected;
      if (parsedNumber === null) {
        soft(b.line, 'models:parse.sectionNumeral', { numeral });
      } else if (parsedNumber !== expected) {
        if (sections.length === 0) {
          soft(b.line, 'models:parse.firstSection', { numeral });
        } else {
          const prev = toKanjiNumber(sections[sections.length - 1].number);
          const problem = parsedNumber > expected ? 'sectionSkipped' : 'sectionOutOfOrder';
          soft(b.line, `models:parse.${problem}`, { n: expected, prev, numeral });
        }
      }
      const title = b.text.slice(m ? m[0].length : 0).trim();
      if (title === '') {
        soft(b.line, 'models:parse.sectionTitleMissing', { n, numeral });
      }
      sections.push({ number: n, title, items: [] });
      sectionLines.push(b.line);
      pos++;
      continue;
    }
    if (b.kind === 'item') {
      const section = sections[sections.length - 1];
      const m = ITEM_RE.exec(b.text);
      const numeral = m ? m[1] : '';
      const parsedNumber = parseKanjiNumber(numeral);
      const expected = section.items.length + 1;
      const n = expected;
      if (parsedNumber === null) {
        soft(b.line, 'models:parse.itemNumeral', { n: section.number, numeral });
      } else if (parsedNumber !== expected) {
        if (section.items.length === 0) {
          soft(b.line, 'models:parse.firstItem', { n: section.number, numeral });
        } else {
          const prev = toKanjiNumber(section.items[section.items.length - 1].number);
          const problem = parsedNumber > expected ? 'itemSkipped' : 'itemOutOfOrder';
          soft(b.line, `models:parse.${problem}`, { n: section.number, prev, numeral });
        }
      }
      const content = b.text.slice(m ? m[0].length : 0).trim();
      const period = content.indexOf('。');
      const heading = (period >= 0 ? content.slice(0, period + 1) : content).trim();
      const body = period >= 0 ? content.slice(period + 1).trim() : '';
      if (heading === '' || heading === '。') {
        soft(b.line, 'models:parse.itemHeadingMissing', { n: section.number, numeral });
      }
      section.items.push({ number: n, heading, body });
      pos++;
      continue;
    }
    if (b.kind === 'text' && b.text.startsWith(NEXT_STEPS_PREFIX)) break;
    if (b.kind === 'text' && b.text.includes(CONTACT_MARKER)) {
      throw new NoticeParseError(b.line, 'models:parse.nextStepsMissing', { marker: NEXT_STEPS_PREFIX });
    }
    const where = sections[sections.length - 1];
    soft(b.line, 'models:parse.strayParagraph', { n: where.number, excerpt: excerpt(b) });
    pos++;
  }
  checkHasItems();
  return { sections, end: pos };
}
