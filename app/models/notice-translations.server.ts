// A notice in other languages: a translation belongs to one revision (the one
// it was checked against); when the notice is revised, pages show the
// original again until a translation of the new revision is imported.
import crypto from 'node:crypto';
import type { Language } from '../../db/schema';
import type { DB } from '~/server/db.server';
import { SLUG_PATTERN } from '~/models/reports.server';
import { parseNoticeTranslation, type NoticeShape, type TranslatedNotice } from '~/domain/notice-translation.server';
import { UserError } from '~/utils/user-error.server';

export type TranslationImportResult = { status: 'created' | 'replaced' | 'unchanged'; revisionNo: number; sections: number; items: number };

async function latestRevision(db: DB, slug: string) {
  if (!SLUG_PATTERN.test(slug)) return undefined;
  return db
    .selectFrom('report_revisions as rr')
    .innerJoin('reports as r', 'r.id', 'rr.report_id')
    .where('r.slug', '=', slug)
    .orderBy('rr.revision_no', 'desc')
    .select(['rr.id', 'rr.revision_no as revisionNo', 'r.language'])
    .executeTakeFirst();
}

async function shapeOf(db: DB, revisionId: number): Promise<NoticeShape> {
  const rows = await db
    .selectFrom('sections as s')
    .leftJoin('items as i', 'i.section_id', 's.id')
    .where('s.revision_id', '=', revisionId)
    .select(['s.number as section', 'i.number as item'])
    .orderBy('s.number')
    .orderBy('i.number')
    .execute();
  const shape: NoticeShape = [];
  for (const row of rows) {
    if (shape.at(-1)?.number !== row.section) shape.push({ number: row.section, items: [] });
    if (row.item !== null) shape.at(-1)!.items.push(row.item);
  }
  return shape;
}

/**
 * Stores `text` as the `language` translation of the notice's latest revision.
 * Refuses (NoticeTranslationError with a line, or UserError) before writing anything.
 */
export async function importNoticeTranslation(db: DB, text: string, slug: string, language: Language): Promise<TranslationImportResult> {
  const revision = await latestRevision(db, slug);
  if (!revision) throw new UserError(`No notice with the slug "${slug}": import the original first`, 404);
  if (revision.language === language) throw new UserError(`The notice "${slug}" is itself in ${language}: import it without --lang to revise it`);
  const shape = await shapeOf(db, revision.id);
  const notice = parseNoticeTranslation(text, shape);
  const contentJson = JSON.stringify(notice);
  const hash = crypto.createHash('sha256').update(contentJson).digest('hex');
  const counts = { revisionNo: revision.revisionNo, sections: notice.sections.length, items: notice.sections.reduce((n, s) => n + s.items.length, 0) };
  const existing = await db
    .selectFrom('report_translations')
    .where('revision_id', '=', revision.id)
    .where('language', '=', language)
    .select(['id', 'content_hash'])
    .executeTakeFirst();
  if (existing?.content_hash === hash) return { status: 'unchanged', ...counts };
  const row = { content_json: contentJson, source_text: text, content_hash: hash, imported_at: new Date().toISOString() };
  // A new id either way: the page cache's content version follows max(id).
  await db.transaction().execute(async (trx) => {
    if (existing) await trx.deleteFrom('report_translations').where('id', '=', existing.id).execute();
    await trx.insertInto('report_translations').values({ revision_id: revision.id, language, ...row }).execute();
  });
  return { status: existing ? 'replaced' : 'created', ...counts };
}

/** The translation of a revision into `language`, or null (the page then shows the original). */
export async function getNoticeTranslation(db: DB, revisionId: number, language: Language): Promise<TranslatedNotice | null> {
  const row = await db
    .selectFrom('report_translations')
    .where('revision_id', '=', revisionId)
    .where('language', '=', language)
    .select('content_json')
    .executeTakeFirst();
  return row ? (JSON.parse(row.content_json) as TranslatedNotice) : null;
}

/**
 * A report outline (title, section titles, item headings, mailbox) in the
 * reader's language when the revision has that translation; `lang` says
 * which language the notice text is then in.
 */
export async function localizeOutline<O extends { revisionId: number; language: Language; title: string; mailbox: string; sections: Array<{ number: number; title: string; items: Array<{ number: number; heading: string }> }> }>(
  db: DB,
  outline: O,
  language: Language,
): Promise<{ outline: O; lang: Language }> {
  if (language === outline.language) return { outline, lang: language };
  const tr = await getNoticeTranslation(db, outline.revisionId, language);
  if (!tr) return { outline, lang: outline.language };
  const sections = outline.sections.map((s) => {
    const ts = tr.sections.find((x) => x.number === s.number);
    return { ...s, title: ts?.title ?? s.title, items: s.items.map((i) => ({ ...i, heading: ts?.items.find((x) => x.number === i.number)?.heading ?? i.heading })) };
  });
  return { outline: { ...outline, title: tr.title, mailbox: tr.mailbox ?? outline.mailbox, sections }, lang: language };
}

/**
 * A published notice's title and mailbox in `language` and the language they
 * are then in: the translation's, or the original's (lang = its language).
 */
export async function getReportTitleIn(db: DB, slug: string, language: Language): Promise<{ title: string | null; mailbox: string | null; lang: Language } | null> {
  const revision = await latestRevision(db, slug);
  if (!revision) return null;
  if (revision.language === language) return { title: null, mailbox: null, lang: language };
  const tr = await getNoticeTranslation(db, revision.id, language);
  return tr ? { title: tr.title, mailbox: tr.mailbox, lang: language } : { title: null, mailbox: null, lang: revision.language };
}
