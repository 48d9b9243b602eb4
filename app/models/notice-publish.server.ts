// Publishing a draft and changing a notice's comment period: each in one
// transaction with its audit row, then the report pages are rendered again.
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { invalidateReportPages } from '~/server/page-version.server';
import { recordAudit } from '~/models/audit.server';
import { stateOf } from '~/models/notice-admin.server';
import { recordPeriodChange } from '~/models/notices.server';
import type { NoticePeriodInput } from '~/schemas/notice-admin';
import { UserError } from '~/utils/user-error.server';

/** Makes a draft public: its page, its forms (within its period) and the lists. */
export async function publishDraft(db: DB, actor: StaffUser, reportId: number): Promise<{ slug: string }> {
  const result = await db.transaction().execute(async (trx) => {
    const report = await trx.selectFrom('reports').select(['id', 'slug', 'draft']).where('id', '=', reportId).executeTakeFirst();
    if (!report) throw new UserError('models:notices.notFound', 404);
    if (!report.draft) throw new UserError('models:notices.alreadyPublished', 409);
    await trx.updateTable('reports').set({ draft: 0 }).where('id', '=', reportId).execute();
    await recordAudit(trx, { actor, action: 'notice.publish', entityType: 'report', entityId: reportId, before: { draft: true }, after: { draft: false } });
    return { slug: report.slug };
  });
  invalidateReportPages();
  return result;
}

/**
 * Sets, extends or ends a comment period early, with the reason, the history
 * row and the audit row in one transaction. Setting the dates is for a period
 * that has not begun (a draft or 募集前); once it runs, it can only be
 * extended or closed early, and the public is told.
 */
export async function changeCommentPeriod(db: DB, actor: StaffUser, reportId: number, input: NoticePeriodInput, now = new Date()): Promise<string> {
  const message = await db.transaction().execute(async (trx) => {
    const report = await trx.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirst();
    if (!report) throw new UserError('models:notices.notFound', 404);
    const state = stateOf(report, now);
    const before = { opensAt: report.opens_at, closesAt: report.closes_at, officeHours: report.office_hours };
    const nowIso = now.toISOString();
    let after: typeof before;
    let kind: 'set' | 'extend' | 'close_early';
    let reason: string | null = null;
    let done: string;
    switch (input.intent) {
      case 'set': {
        if (state !== 'draft' && state !== 'upcoming') {
          throw new UserError('models:period.setAfterOpen', 409);
        }
        kind = 'set';
        after = { opensAt: input.opensAt, closesAt: input.closesAt, officeHours: input.officeHours };
        done = 'models:period.saved';
        break;
      }
      case 'extend': {
        if (state === 'draft') throw new UserError('models:period.extendDraft', 409);
        if (report.closes_at && Date.parse(input.closesAt) <= Date.parse(report.closes_at)) {
          throw new UserError('models:period.extendNotLater');
        }
        if (Date.parse(input.closesAt) <= now.getTime()) throw new UserError('models:period.extendPast');
        if (report.opens_at && Date.parse(input.closesAt) <= Date.parse(report.opens_at)) {
          throw new UserError('models:period.closesBeforeOpens');
        }
        kind = 'extend';
        reason = input.reason;
        after = { ...before, closesAt: input.closesAt };
        done = 'models:period.extended';
        break;
      }
      case 'close': {
        if (state !== 'open' && state !== 'always') throw new UserError('models:period.closeNotOpen', 409);
        kind = 'close_early';
        reason = input.reason;
        after = { ...before, closesAt: nowIso };
        done = 'models:period.closed';
        break;
      }
    }
    await trx.updateTable('reports').set({ opens_at: after.opensAt, closes_at: after.closesAt, office_hours: after.officeHours }).where('id', '=', reportId).execute();
    await recordPeriodChange(trx, {
      reportId,
      kind,
      opensAt: after.opensAt,
      closesAt: after.closesAt,
      previousClosesAt: before.closesAt,
      reason,
      actor,
      actorLabel: '',
      now: nowIso,
    });
    await recordAudit(trx, {
      actor,
      action: kind === 'set' ? 'notice.period' : kind === 'extend' ? 'notice.period.extend' : 'notice.period.close',
      entityType: 'report',
      entityId: reportId,
      before,
      after: { ...after, reason },
    });
    return done;
  });
  invalidateReportPages();
  return message;
}
