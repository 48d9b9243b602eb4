// Storing a notice: the one code path behind `npm run notice:import`, the
// server's first start and the staff console (publish, save as draft, revise).
import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { parseNotice, type ParsedNotice } from '~/domain/notice-parser.server';
import { checkPeriodBounds } from '~/domain/comment-period';
import { diffNotices, type NoticeDiff } from '~/domain/notice-diff';
import { recordAudit } from '~/models/audit.server';
import { listRevisionOutlines, SLUG_PATTERN } from '~/models/reports.server';
import { UserError } from '~/utils/user-error.server';

export { SLUG_PATTERN };

export type ImportResult = {
  status: 'created' | 'revised' | 'unchanged';
  reportId: number;
  revisionNo: number;
  sections: number;
  items: number;
};

export type ImportOptions = {
  /** 'create': refuse a slug in use; 'revise': refuse an unknown slug; default: either. */
  mode?: 'create' | 'revise';
  /** A new report is stored as a draft (not public) when true. */
  draft?: boolean;
  /** Comment period bounds (UTC ISO); undefined leaves a bound as it is, null removes it. */
  opensAt?: string | null;
  closesAt?: string | null;
  officeHours?: string | null;
  /** For a revision: the revision the person diffed against (refused if another came since). */
  baseRevisionNo?: number;
  /** A revision that moves text to other section/item numbers needs this. */
  confirmRenumbering?: boolean;
  actor?: StaffUser | null;
  /** Who acted when no one is signed in ('cli', 'system'). */
  actorLabel?: string;
};

function contentHash(notice: ParsedNotice): string {
  return crypto.createHash('sha256').update(JSON.stringify(notice)).digest('hex');
}

type Trx = Transaction<Database>;

async function insertRevision(trx: Trx, reportId: number, revisionNo: number, notice: ParsedNotice, sourceText: string, hash: string, now: string) {
  const revision = await trx
    .insertInto('report_revisions')
    .values({
      report_id: reportId,
      revision_no: revisionNo,
      content_hash: hash,
      source_text: sourceText,
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
}

/** The diff of a parsed text against the latest stored revision (for the console's preview). */
export async function diffAgainstLatest(db: DB | Trx, reportId: number, notice: ParsedNotice): Promise<{ revisionNo: number; diff: NoticeDiff } | null> {
  const revisions = await listRevisionOutlines(db as DB, reportId);
  const latest = revisions[revisions.length - 1];
  return latest ? { revisionNo: latest.revisionNo, diff: diffNotices(latest.outline, notice) } : null;
}

/**
 * Parse a notice and store it as the newest revision of `slug`. The same text
 * again changes nothing; a changed text becomes a new revision and the old one
 * is kept. Parsing happens before any write, so a malformed file writes
 * nothing. The period, when given, is set in the same transaction, and the
 * change is audited.
 */
export async function importNotice(db: DB, input: string | Uint8Array, slug: string, options: ImportOptions = {}): Promise<ImportResult> {
  if (!SLUG_PATTERN.test(slug)) {
    throw new UserError('models:notices.slugInvalid', 400, { slug });
  }
  const notice = parseNotice(input);
  const hash = contentHash(notice);
  const itemCount = notice.sections.reduce((n, s) => n + s.items.length, 0);
  const sourceText = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const now = new Date().toISOString();
  const audit = { actor: options.actor ?? null, actorLabel: options.actorLabel ?? 'system' };
  // The server's first start imports the bundled notice: nobody acted, nothing to audit.
  const audited = Boolean(options.actor || options.actorLabel);

  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('reports').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (existing && options.mode === 'create') {
      throw new UserError('models:notices.slugTaken', 409, { slug });
    }
    if (!existing && options.mode === 'revise') throw new UserError('models:notices.reviseMissing', 404);

    const was = { opensAt: existing?.opens_at ?? null, closesAt: existing?.closes_at ?? null, officeHours: existing?.office_hours ?? null };
    const opensAt = options.opensAt === undefined ? was.opensAt : options.opensAt;
    const closesAt = options.closesAt === undefined ? was.closesAt : options.closesAt;
    const boundsError = checkPeriodBounds(opensAt, closesAt);
    if (boundsError) throw new UserError(boundsError);
    const officeHours = options.officeHours === undefined ? was.officeHours : options.officeHours;
    const periodChanged = existing
      ? opensAt !== was.opensAt || closesAt !== was.closesAt || officeHours !== was.officeHours
      : Boolean(opensAt || closesAt || officeHours);

    const latest = existing
      ? await trx
          .selectFrom('report_revisions')
          .select(['revision_no', 'content_hash'])
          .where('report_id', '=', existing.id)
          .orderBy('revision_no', 'desc')
          .executeTakeFirst()
      : undefined;
    if (existing && options.baseRevisionNo !== undefined && latest && latest.revision_no !== options.baseRevisionNo) {
      throw new UserError('models:notices.revisedMeanwhile', 409, { base: options.baseRevisionNo, latest: latest.revision_no });
    }

    let reportId: number;
    let status: ImportResult['status'];
    let revisionNo: number;
    if (existing && latest?.content_hash === hash) {
      reportId = existing.id;
      status = 'unchanged';
      revisionNo = latest.revision_no;
    } else {
      if (existing && latest && !options.confirmRenumbering && options.mode === 'revise') {
        const compared = await diffAgainstLatest(trx, existing.id, notice);
        if (compared && compared.diff.renumbered.length > 0) {
          throw new UserError('models:notices.renumberUnconfirmed');
        }
      }
      reportId =
        existing?.id ??
        (
          await trx
            .insertInto('reports')
            // Only what differs from the column defaults, so that this also runs before the period migration.
            .values({
              slug,
              created_at: now,
              ...(options.draft ? { draft: 1 as const } : {}),
              ...(periodChanged ? { opens_at: opensAt, closes_at: closesAt, office_hours: officeHours } : {}),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      revisionNo = (latest?.revision_no ?? 0) + 1;
      status = latest ? 'revised' : 'created';
      await insertRevision(trx, reportId, revisionNo, notice, sourceText, hash, now);
      if (audited) await recordAudit(trx, {
        ...audit,
        action: status === 'created' ? (options.draft ? 'notice.draft' : 'notice.publish') : 'notice.revise',
        entityType: 'report',
        entityId: reportId,
        after: { slug, revisionNo, title: notice.title, sections: notice.sections.length, items: itemCount },
      });
    }

    if (existing && periodChanged) {
      await trx.updateTable('reports').set({ opens_at: opensAt, closes_at: closesAt, office_hours: officeHours }).where('id', '=', reportId).execute();
    }
    if (periodChanged) {
      await recordPeriodChange(trx, { reportId, kind: 'set', opensAt, closesAt, previousClosesAt: was.closesAt, reason: null, ...audit, now });
      if (audited) {
        await recordAudit(trx, {
          ...audit,
          action: 'notice.period',
          entityType: 'report',
          entityId: reportId,
          before: existing ? was : undefined,
          after: { opensAt, closesAt, officeHours },
        });
      }
    }
    return { status, reportId, revisionNo, sections: notice.sections.length, items: itemCount } satisfies ImportResult;
  });
}

export type PeriodChangeRow = {
  reportId: number;
  kind: 'set' | 'extend' | 'close_early';
  opensAt: string | null;
  closesAt: string | null;
  previousClosesAt: string | null;
  reason: string | null;
  actor: StaffUser | null;
  actorLabel: string;
  now: string;
};

/** One row of a period's history (the audit row is the caller's, in the same transaction). */
export async function recordPeriodChange(trx: Trx, c: PeriodChangeRow): Promise<void> {
  await trx
    .insertInto('comment_period_changes')
    .values({
      report_id: c.reportId,
      kind: c.kind,
      opens_at: c.opensAt,
      closes_at: c.closesAt,
      previous_closes_at: c.previousClosesAt,
      reason: c.reason,
      actor_id: c.actor?.id ?? null,
      actor_label: c.actor ? `${c.actor.displayName} <${c.actor.email}>` : c.actorLabel,
      created_at: c.now,
    })
    .execute();
}

export async function countReports(db: DB): Promise<number> {
  const row = await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
