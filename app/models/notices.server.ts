import crypto from 'node:crypto';
import type { DB } from '~/server/db.server';
import { parseNotice, type ParsedNotice } from '~/domain/notice-parser.server';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

type ImportResult = {
  status: 'created' | 'revised' | 'unchanged';
  reportId: number;
  revisionNo: number;
  sections: number;
  items: number;
};

function contentHash(notice: ParsedNotice): string {
  return crypto.createHash('sha256').update(JSON.stringify(notice)).digest('hex');
}

/**
 * Parse a notice and store it as the newest revision of `slug`. The same text
 * again changes nothing; a changed text becomes a new revision and the old one
 * is kept. Parsing happens before any write, so a malformed file writes nothing.
 */
export async function importNotice(db: DB, input: string | Uint8Array, slug: string): Promise<ImportResult> {
  if (!SLUG_PATTERN.test(slug)) {
    throw new Error(`スラッグ「${slug}」は英小文字・数字・ハイフンで64文字以内にしてください`);
  }
  const notice = parseNotice(input);
  const hash = contentHash(notice);
  const itemCount = notice.sections.reduce((n, s) => n + s.items.length, 0);
  const now = new Date().toISOString();

  return db.transaction().execute(async (trx) => {
    let report = await trx.selectFrom('reports').select('id').where('slug', '=', slug).executeTakeFirst();
    const latest = report
      ? await trx
          .selectFrom('report_revisions')
          .select(['revision_no', 'content_hash'])
          .where('report_id', '=', report.id)
          .orderBy('revision_no', 'desc')
          .executeTakeFirst()
      : undefined;
    if (report && latest?.content_hash === hash) {
      return { status: 'unchanged', reportId: report.id, revisionNo: latest.revision_no, sections: notice.sections.length, items: itemCount };
    }
    report ??= await trx
      .insertInto('reports')
      .values({ slug, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const revisionNo = (latest?.revision_no ?? 0) + 1;
    const revision = await trx
      .insertInto('report_revisions')
      .values({
        report_id: report.id,
        revision_no: revisionNo,
        content_hash: hash,
        source_text: typeof input === 'string' ? input : new TextDecoder().decode(input),
        title: notice.title,
        breadcrumb_json: JSON.stringify(notice.breadcrumb),
        published_at: notice.publishedAt,
        source_office: notice.sourceOffice,
        intro_json: JSON.stringify(notice.intro),
        summary: notice.summary,
        next_steps_json: JSON.stringify(notice.nextSteps),
        closing: notice.closing,
        phone: notice.phone,
        mailbox: notice.mailbox,
        issuer: notice.issuer,
        issued_on: notice.issuedOn,
        imported_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const section of notice.sections) {
      const row = await trx
        .insertInto('sections')
        .values({ revision_id: revision.id, number: section.number, title: section.title })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (section.items.length) {
        await trx
          .insertInto('items')
          .values(section.items.map((item) => ({ section_id: row.id, number: item.number, heading: item.heading, body: item.body })))
          .execute();
      }
    }
    return {
      status: latest ? 'revised' : 'created',
      reportId: report.id,
      revisionNo,
      sections: notice.sections.length,
      items: itemCount,
    } satisfies ImportResult;
  });
}

export async function countReports(db: DB): Promise<number> {
  const row = await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
