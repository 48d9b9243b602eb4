/**
 * Strict plain-text parser for the Xiuzhou District inspection-rectification
 * notice (a Japanese translation of a Chinese government page, see
 * db/content/xiuzhou-inspection-2023.txt).
 *
 * Expected layout (blank lines separate paragraphs; consecutive non-blank
 * lines of ordinary text are joined into one paragraph):
 *
 *   現在の場所:トップページ                ← breadcrumb
 *   >政務公開>公示公告                     ← breadcrumb continuation
 *   <title>
 *   公開日:YYYY-MM-DD[ ]HH:MM 情報ソース:<office> ブラウズ回数:…
 *   <intro paragraph(s)>
 *   巡視改善活動では…                      ← summary
 *   一、<section title>                   ← sections 一、二、… in order
 *   (一)<heading>。<body>                 ← items (一)(二)… in order, per section
 *   …
 *   次のステップでは…                      ← next steps (one or more paragraphs)
 *   …連絡先:電話<phone>、郵便ポスト:<mailbox>。   ← closing
 *   <issuer>
 *   YYYY年M月D日
 *   このページを印刷 ウィンドウを閉じる      ← page furniture, dropped
 *
 * Pure code apart from the catalogs its messages come from. Every failure for
 * any input is reported as a NoticeParseError carrying the 1-based line number
 * and a message key (models:parse.*), worded in Japanese for the CLI and in the
 * staff member's language on the console.
 */
import { type Block, BREADCRUMB_CONT_RE, BREADCRUMB_RE, buildBlocks, CONTACT_MARKER, ITEM_RE, type Line, NEXT_STEPS_PREFIX, SUMMARY_PREFIX } from './notice-blocks.server';
import { excerpt, MAILBOX_RE, parseIssuedOn, parsePublishedAt, parseSourceOffice, PHONE_RE, toAsciiDigits } from './notice-fields.server';
import { readSections, type SoftProblem } from './notice-sections.server';
import { noticeText } from './notice-input.server';
import { NoticeParseError } from './notice-parse-error.server';

export { guessLegacyEncoding } from './notice-input.server';
export { NoticeParseError } from './notice-parse-error.server';

export type ParsedItem = { number: number; heading: string; body: string };
export type ParsedSection = { number: number; title: string; items: ParsedItem[] };
export type ParsedNotice = {
  breadcrumb: string[];
  title: string;
  publishedAt: string;
  sourceOffice: string;
  intro: string[];
  summary: string;
  sections: ParsedSection[];
  nextSteps: string[];
  closing: string;
  phone: string;
  mailbox: string;
  issuer: string;
  issuedOn: string;
};

// ---------------------------------------------------------------------------
// Parser

/**
 * Parses normalized text. Problems that leave the structure readable (a
 * numbering slip, an empty title, a missing phone number, a bad date) are
 * pushed to `problems` and parsing goes on, so that a person fixing a paste
 * sees every such line at once; a problem that makes the rest unreadable is
 * thrown. `problems` comes out in the order of the text.
 */
function parseNormalized(text: string, problems: NoticeParseError[]): ParsedNotice {
  const soft: SoftProblem = (line, key, values) => {
    problems.push(new NoticeParseError(line, key, values));
  };
  const softly = <T>(fallback: T, read: () => T): T => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof NoticeParseError)) throw err;
      problems.push(err);
      return fallback;
    }
  };

  if (text.trim() === '') {
    throw new NoticeParseError(1, 'models:parse.empty');
  }

  const lines: Line[] = text.split('\n').map((t, i) => ({ no: i + 1, text: t.trim() }));
  const blocks = buildBlocks(lines);
  const lastContentLine = blocks.length > 0 ? blocks[blocks.length - 1].lines.slice(-1)[0].no : 1;
  if (blocks.length === 0) {
    throw new NoticeParseError(1, 'models:parse.emptyFurniture');
  }

  let pos = 0;
  const peek = (): Block | undefined => blocks[pos];
  const lineHere = (): number => peek()?.line ?? lastContentLine;

  // --- breadcrumb --------------------------------------------------------
  const first = blocks[0];
  if (first.kind !== 'breadcrumb') {
    throw new NoticeParseError(first.line, 'models:parse.breadcrumbMissing');
  }
  const breadcrumb: string[] = [];
  const addCrumbs = (raw: string, lineNo: number) => {
    for (const part of raw.split(/[>＞]/)) {
      const crumb = part.trim();
      if (crumb === '') {
        throw new NoticeParseError(lineNo, 'models:parse.breadcrumbEmptyPart');
      }
      breadcrumb.push(crumb);
    }
  };
  // A breadcrumb block is always a single line (text lines never continue it).
  addCrumbs(first.text.replace(BREADCRUMB_RE, ''), first.line);
  pos = 1;
  while (peek()?.kind === 'breadcrumbCont') {
    const b = blocks[pos++];
    for (const l of b.lines) addCrumbs(l.text.replace(BREADCRUMB_CONT_RE, ''), l.no);
  }

  // --- title -------------------------------------------------------------
  const titleBlock = peek();
  if (!titleBlock || titleBlock.kind !== 'text') {
    throw new NoticeParseError(lineHere(), 'models:parse.titleMissing');
  }
  const title = titleBlock.text;
  pos++;

  // --- meta line ---------------------------------------------------------
  const metaBlock = peek();
  if (!metaBlock || metaBlock.kind !== 'meta') {
    throw new NoticeParseError(lineHere(), 'models:parse.metaMissing');
  }
  const publishedAt = softly('', () => parsePublishedAt(metaBlock));
  const sourceOffice = softly('', () => parseSourceOffice(metaBlock));
  pos++;

  // --- intro and summary ---------------------------------------------------
  const preamble: Block[] = [];
  while (pos < blocks.length && blocks[pos].kind !== 'section') {
    const b = blocks[pos];
    if (b.kind === 'item') {
      const marker = ITEM_RE.exec(b.text)?.[0] ?? '';
      throw new NoticeParseError(b.line, 'models:parse.itemBeforeSection', { marker });
    }
    if (b.kind !== 'text') {
      throw new NoticeParseError(b.line, 'models:parse.unexpectedLine', { excerpt: excerpt(b) });
    }
    preamble.push(b);
    pos++;
  }
  const summaryIndex = preamble.findIndex((b) => b.text.startsWith(SUMMARY_PREFIX));
  if (summaryIndex < 0) {
    throw new NoticeParseError(lineHere(), 'models:parse.summaryMissing', { marker: SUMMARY_PREFIX });
  }
  if (summaryIndex !== preamble.length - 1) {
    const extra = preamble[summaryIndex + 1];
    throw new NoticeParseError(extra.line, 'models:parse.afterSummary', { excerpt: excerpt(extra) });
  }
  const intro = preamble.slice(0, summaryIndex).map((b) => b.text);
  const summary = preamble[summaryIndex].text;

  // --- sections ----------------------------------------------------------
  if (pos >= blocks.length) {
    throw new NoticeParseError(lastContentLine, 'models:parse.noSections');
  }
  const { sections, end } = readSections(blocks, pos, soft);
  pos = end;
  if (pos >= blocks.length) {
    throw new NoticeParseError(lastContentLine, 'models:parse.nextStepsMissing', { marker: NEXT_STEPS_PREFIX });
  }

  // --- next steps, closing, issuer, date -----------------------------------
  const tail = blocks.slice(pos);
  for (const b of tail) {
    if (b.kind !== 'text') {
      throw new NoticeParseError(b.line, 'models:parse.afterNextSteps', {
        marker: NEXT_STEPS_PREFIX,
        excerpt: excerpt(b),
      });
    }
  }
  const closingIndex = tail.findIndex((b) => b.text.includes(CONTACT_MARKER));
  if (closingIndex < 0) {
    throw new NoticeParseError(lastContentLine, 'models:parse.contactMissing');
  }
  if (closingIndex === 0) {
    // The next-steps paragraph itself carries the contact details.
    throw new NoticeParseError(tail[0].line, 'models:parse.contactNotSeparate');
  }
  const nextSteps = tail.slice(0, closingIndex).map((b) => b.text);
  const closingBlock = tail[closingIndex];
  const closing = closingBlock.text;

  const phoneMatch = PHONE_RE.exec(closing.slice(closing.indexOf(CONTACT_MARKER)));
  if (!phoneMatch) {
    soft(closingBlock.line, 'models:parse.phoneMissing');
  }
  const phone = phoneMatch?.[1] ?? '';
  const mailboxMatch = MAILBOX_RE.exec(closing);
  const mailbox = mailboxMatch ? mailboxMatch[1].trim() : '';
  if (mailbox === '') {
    soft(closingBlock.line, 'models:parse.mailboxMissing');
  }

  const after = tail.slice(closingIndex + 1);
  const DATE_LIKE = /^[0-9０-９]{4}\s*年/;
  if (after.length === 0 || DATE_LIKE.test(toAsciiDigits(after[0].text))) {
    throw new NoticeParseError(after[0]?.line ?? lastContentLine, 'models:parse.issuerMissing');
  }
  const issuer = after[0].text;
  if (after.length === 1) {
    throw new NoticeParseError(lastContentLine, 'models:parse.dateMissing');
  }
  const issuedOn = softly('', () => parseIssuedOn(after[1]));
  if (after.length > 2) {
    soft(after[2].line, 'models:parse.afterDate', { excerpt: excerpt(after[2]) });
  }

  return {
    breadcrumb,
    title,
    publishedAt,
    sourceOffice,
    intro,
    summary,
    sections,
    nextSteps,
    closing,
    phone,
    mailbox,
    issuer,
    issuedOn,
  };
}

/**
 * Parses the notice. Accepts a string or UTF-8 bytes; throws NoticeParseError
 * (and nothing else) when the input does not follow the expected layout.
 */
export function parseNotice(input: string | Uint8Array): ParsedNotice {
  const result = checkNotice(input);
  if (result.errors.length > 0) throw result.errors[0];
  return result.notice!;
}

export type NoticeCheck = { notice: ParsedNotice | null; errors: NoticeParseError[] };

/**
 * Parses the notice and reports every problem found, in the order of the
 * text (the first is the one parseNotice throws): `notice` is set only when
 * there is none. For the console's preview, which lists each line to fix.
 */
export function checkNotice(input: string | Uint8Array): NoticeCheck {
  const problems: NoticeParseError[] = [];
  try {
    const notice = parseNormalized(noticeText(input), problems);
    return problems.length ? { notice: null, errors: problems } : { notice, errors: [] };
  } catch (err) {
    if (err instanceof NoticeParseError) return { notice: null, errors: [...problems, err] };
    // Safety net: the contract is that only NoticeParseError escapes.
    const detail = err instanceof Error ? err.message : String(err);
    return { notice: null, errors: [...problems, new NoticeParseError(1, 'models:parse.unexpected', { detail })] };
  }
}
