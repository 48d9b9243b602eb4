/**
 * The text format of a notice translation (`npm run notice:import -- <file>
 * --lang zh-Hans`) and its check against the original revision: the
 * translation names each section and item by the original's numbers, and must
 * give every one of them, in order, and nothing else, so that opinions (which
 * attach to section/item numbers) mean the same thing in every language.
 *
 *   title: <title>
 *   source-office: <office>            (optional: the original's when left out)
 *   issuer: <issuer>                   (optional)
 *   mailbox: <postal address>          (optional)
 *   [intro]
 *   <paragraphs, blank line between>
 *   [summary]
 *   <paragraph>
 *   [section 1] <section title>
 *   [item 1.1] <item heading>
 *   <item body (optional)>
 *   …
 *   [next-steps]
 *   <paragraphs>
 *   [closing]
 *   <paragraph>
 *
 * Lines starting with # are comments. Pure code; every refusal is a
 * NoticeTranslationError with the 1-based line and the reason.
 */

export type TranslatedNotice = {
  title: string;
  sourceOffice: string | null;
  issuer: string | null;
  mailbox: string | null;
  intro: string[];
  summary: string;
  sections: Array<{ number: number; title: string; items: Array<{ number: number; heading: string; body: string }> }>;
  nextSteps: string[];
  closing: string;
};

/** What the translation must line up with: the original revision's sections and item numbers. */
export type NoticeShape = Array<{ number: number; items: number[] }>;

export class NoticeTranslationError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'NoticeTranslationError';
  }
}

const HEADER = /^(title|source-office|issuer|mailbox):\s*(.*)$/;
const BLOCK = /^\[(intro|summary|next-steps|closing)\]\s*$/;
const SECTION = /^\[section (\d{1,3})\]\s*(.*)$/;
const ITEM = /^\[item (\d{1,3})\.(\d{1,3})\]\s*(.*)$/;

/** Paragraphs of a block: runs of non-blank lines, each run joined by newlines. */
function paragraphs(lines: string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  for (const l of [...lines, '']) {
    if (l.trim()) run.push(l.trim());
    else if (run.length) {
      out.push(run.join('\n'));
      run = [];
    }
  }
  return out;
}

export function parseNoticeTranslation(text: string, shape: NoticeShape): TranslatedNotice {
  const lines = text.replace(/^\uFEFF/, '').normalize('NFC').split(/\r\n|\r|\n/);
  const headers = new Map<string, string>();
  const blocks = new Map<string, string[]>();
  const sections: TranslatedNotice['sections'] = [];
  let current: string[] | null = null;
  let sectionIndex = -1;
  let itemIndex = -1;
  // The section whose items are being read, and the item whose body.
  let section: TranslatedNotice['sections'][number] | null = null;
  let itemBody: string[] | null = null;

  const finishItem = () => {
    if (section && itemBody) section.items[section.items.length - 1].body = paragraphs(itemBody).join('\n');
    itemBody = null;
  };
  const finishSection = (line: number) => {
    finishItem();
    if (!section) return;
    const expected = shape[sectionIndex].items;
    if (section.items.length < expected.length) {
      throw new NoticeTranslationError(line, `section ${section.number} has ${expected.length} items in the original but ${section.items.length} here (item ${section.number}.${expected[section.items.length]} is missing)`);
    }
    section = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const no = i + 1;
    const line = lines[i];
    if (/^#/.test(line)) continue;
    let m: RegExpExecArray | null;
    if (!section && !current && (m = HEADER.exec(line))) {
      if (headers.has(m[1])) throw new NoticeTranslationError(no, `"${m[1]}:" is given twice`);
      headers.set(m[1], m[2].trim());
    } else if ((m = BLOCK.exec(line))) {
      finishSection(no);
      if (blocks.has(m[1])) throw new NoticeTranslationError(no, `[${m[1]}] is given twice`);
      if ((m[1] === 'next-steps' || m[1] === 'closing') && sectionIndex < shape.length - 1) {
        throw new NoticeTranslationError(no, `[${m[1]}] before section ${shape[sectionIndex + 1].number}: the original has ${shape.length} sections`);
      }
      current = [];
      blocks.set(m[1], current);
    } else if ((m = SECTION.exec(line))) {
      finishSection(no);
      current = null;
      const n = Number(m[1]);
      const expected = shape[sectionIndex + 1];
      if (!expected) throw new NoticeTranslationError(no, `section ${n} is not in the original, which has ${shape.length} sections`);
      if (n !== expected.number) throw new NoticeTranslationError(no, `section ${n} where the original has section ${expected.number} (sections must follow the original one for one)`);
      if (!m[2].trim()) throw new NoticeTranslationError(no, `section ${n} has no title`);
      sectionIndex++;
      itemIndex = -1;
      section = { number: n, title: m[2].trim(), items: [] };
      sections.push(section);
    } else if ((m = ITEM.exec(line))) {
      finishItem();
      const [s, n] = [Number(m[1]), Number(m[2])];
      if (!section) throw new NoticeTranslationError(no, `item ${s}.${n} outside a section`);
      if (s !== section.number) throw new NoticeTranslationError(no, `item ${s}.${n} inside section ${section.number}`);
      const expected = shape[sectionIndex].items;
      const want = expected[itemIndex + 1];
      if (want === undefined) throw new NoticeTranslationError(no, `item ${s}.${n} is not in the original: section ${s} has ${expected.length} items`);
      if (n !== want) throw new NoticeTranslationError(no, `item ${s}.${n} where the original has item ${s}.${want}`);
      if (!m[3].trim()) throw new NoticeTranslationError(no, `item ${s}.${n} has no heading`);
      itemIndex++;
      section.items.push({ number: n, heading: m[3].trim(), body: '' });
      itemBody = [];
    } else if (/^\[/.test(line)) {
      throw new NoticeTranslationError(no, `unknown marker ${line.trim()} (expected [intro], [summary], [section N], [item N.M], [next-steps] or [closing])`);
    } else if (itemBody) itemBody.push(line);
    else if (current) current.push(line);
    else if (section) {
      if (line.trim()) throw new NoticeTranslationError(no, `text after section ${section.number}'s title: put it under an [item] marker`);
    } else if (line.trim()) throw new NoticeTranslationError(no, 'text outside any block (start a block with [intro], [summary], [section N] …)');
  }
  const end = lines.length;
  finishSection(end);
  if (sectionIndex < shape.length - 1) throw new NoticeTranslationError(end, `section ${shape[sectionIndex + 1].number} of the original is missing`);
  const title = headers.get('title');
  if (!title) throw new NoticeTranslationError(1, 'no "title:" line');
  const block = (name: string) => paragraphs(blocks.get(name) ?? []);
  const summary = block('summary');
  if (summary.length === 0) throw new NoticeTranslationError(end, 'no [summary] block');
  const closing = block('closing');
  if (closing.length === 0) throw new NoticeTranslationError(end, 'no [closing] block');
  return {
    title,
    sourceOffice: headers.get('source-office') || null,
    issuer: headers.get('issuer') || null,
    mailbox: headers.get('mailbox') || null,
    intro: block('intro'),
    summary: summary.join('\n'),
    sections,
    nextSteps: block('next-steps'),
    closing: closing.join('\n'),
  };
}
