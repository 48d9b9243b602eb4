// Staff actions on one opinion. Each runs in one transaction with its audit
// row (before → after), so the history never disagrees with the opinion.
import type { Opinion, OpinionStatus } from '../../db/schema';
import { OPINION_STATUSES } from '../../db/schema';
import { getSectionTitles } from '~/models/reports.server';
import type { DB } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { endOfLocalDay, toLocalDay } from '~/utils/local-time';
import { cleanMultiline, codePointLength } from '~/utils/text';
import { enqueueMessage } from '~/mail/outbox.server';
import { unitAssignmentNotification } from '~/mail/unit-mail.server';
import { NOTE_MAX, type ConsentWithdrawalChannel, type OpinionAction } from '~/schemas/staff-opinion';
import { invalidateReportPages } from '~/server/page-version.server';
import type { StaffUser } from '~/server/session.server';
import { normalizeTrackingNumber } from '~/domain/tracking-number.server';
import { UserError } from '~/utils/user-error.server';
import { recordAudit } from './audit.server';


async function loadOpinion(trx: DB, id: number): Promise<Opinion> {
  const opinion = await trx.selectFrom('opinions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!opinion) throw new UserError('models:opinions.notFound', 404);
  return opinion;
}

function touch() {
  return new Date().toISOString();
}

/**
 * Moves an opinion to another status. `duplicate` needs the tracking number of
 * the other (existing, different) opinion; any other status clears that link.
 * Returns false when nothing changed (and writes nothing).
 */
export async function changeOpinionStatus(
  db: DB,
  actor: StaffUser,
  id: number,
  status: OpinionStatus,
  options: { duplicateOfTrackingNumber?: string | null } = {},
): Promise<boolean> {
  if (!OPINION_STATUSES.includes(status)) throw new UserError('models:opinions.statusInvalid');
  return db.transaction().execute(async (trx) => {
    const before = await loadOpinion(trx, id);
    let duplicateOf: { id: number; tracking_number: string } | null = null;
    if (status === 'duplicate') {
      const typed = options.duplicateOfTrackingNumber?.trim() ?? '';
      // Accept the number as people type it (lower case, full width, no hyphens).
      const number = typed ? (normalizeTrackingNumber(typed) ?? typed.normalize('NFKC').toUpperCase()) : '';
      if (!number) throw new UserError('models:opinions.duplicateNumberMissing');
      duplicateOf =
        (await trx.selectFrom('opinions').select(['id', 'tracking_number']).where('tracking_number', '=', number).executeTakeFirst()) ??
        null;
      if (!duplicateOf) throw new UserError('models:opinions.duplicateNotFound', 400, { number });
      if (duplicateOf.id === id) throw new UserError('models:opinions.duplicateSelf');
    }
    const duplicateOfId = duplicateOf?.id ?? null;
    if (before.status === status && before.duplicate_of_id === duplicateOfId) return false;
    const beforeDuplicate = before.duplicate_of_id
      ? ((await trx.selectFrom('opinions').select('tracking_number').where('id', '=', before.duplicate_of_id).executeTakeFirst())
          ?.tracking_number ?? null)
      : null;
    await trx.updateTable('opinions').set({ status, duplicate_of_id: duplicateOfId, updated_at: touch() }).where('id', '=', id).execute();
    await recordAudit(trx, {
      actor,
      action: 'opinion.status',
      entityType: 'opinion',
      entityId: id,
      before: { status: before.status, duplicateOf: beforeDuplicate },
      after: { status, duplicateOf: duplicateOf?.tracking_number ?? null },
    });
    return true;
  });
}

async function unitNotification(trx: DB, opinion: Opinion, unitName: string, actor: StaffUser) {
  const titles = await getSectionTitles(trx, opinion.report_id);
  const section = titles.get(opinion.section_number);
  return unitAssignmentNotification({
    opinionId: opinion.id,
    trackingNumber: opinion.tracking_number,
    target: {
      sectionNumber: opinion.section_number,
      sectionTitle: section?.title ?? null,
      itemNumber: opinion.item_number,
      itemHeading: opinion.item_number === null ? null : (section?.items.get(opinion.item_number) ?? null),
    },
    body: opinion.body,
    channel: opinion.channel,
    receivedAt: opinion.received_at,
    dueAt: opinion.due_at,
    unitName,
    assignedBy: actor.displayName,
    publicUrl: getEnv().PUBLIC_URL,
  }, getEnv().OFFICE_LANG);
}

/**
 * Sets the responsible unit and the staff member (null clears either). A unit
 * newly given the opinion is told by mail, through the outbox, when it has an
 * address. Returns false when nothing changed.
 */
export async function assignOpinion(
  db: DB,
  actor: StaffUser,
  id: number,
  assignment: { unitId: number | null; assigneeId: number | null },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await loadOpinion(trx, id);
    if (before.unit_id === assignment.unitId && before.assignee_id === assignment.assigneeId) return false;
    const unitOf = (unitId: number | null) =>
      unitId === null ? undefined : trx.selectFrom('units').selectAll().where('id', '=', unitId).executeTakeFirst();
    const userOf = (userId: number | null) =>
      userId === null
        ? undefined
        : trx.selectFrom('users').select(['id', 'display_name', 'active']).where('id', '=', userId).executeTakeFirst();
    const [unit, assignee, oldUnit, oldAssignee] = await Promise.all([
      unitOf(assignment.unitId),
      userOf(assignment.assigneeId),
      unitOf(before.unit_id),
      userOf(before.assignee_id),
    ]);
    const unitChanged = assignment.unitId !== before.unit_id;
    if (assignment.unitId !== null && (!unit || (unitChanged && unit.retired_at !== null))) {
      throw new UserError('models:opinions.unitUnavailable');
    }
    if (assignment.assigneeId !== null && (!assignee || (assignment.assigneeId !== before.assignee_id && !assignee.active))) {
      throw new UserError('models:opinions.assigneeUnavailable');
    }
    await trx
      .updateTable('opinions')
      .set({ unit_id: assignment.unitId, assignee_id: assignment.assigneeId, updated_at: touch() })
      .where('id', '=', id)
      .execute();
    if (unit && unitChanged && unit.email) {
      const mail = await unitNotification(trx, before, unit.name, actor);
      await enqueueMessage(trx, { opinionId: id, kind: 'unit_notification', recipient: unit.email, ...mail });
    }
    await recordAudit(trx, {
      actor,
      action: 'opinion.assign',
      entityType: 'opinion',
      entityId: id,
      before: { unit: oldUnit?.name ?? null, assignee: oldAssignee?.display_name ?? null },
      after: { unit: unit?.name ?? null, assignee: assignee?.display_name ?? null },
    });
    return true;
  });
}

/** Sets the answer deadline to the end of the given day (Asia/Shanghai). Returns false when unchanged. */
export async function setDueDate(db: DB, actor: StaffUser, id: number, dueDate: string): Promise<boolean> {
  const dueAt = endOfLocalDay(dueDate);
  // endOfLocalDay rolls an impossible day (02-31) over into the next month.
  if (!dueAt || toLocalDay(dueAt) !== dueDate) throw new UserError('models:opinions.dueDateInvalid');
  return db.transaction().execute(async (trx) => {
    const before = await loadOpinion(trx, id);
    if (dueAt < before.received_at) throw new UserError('models:opinions.dueBeforeReceived');
    if (before.due_at === dueAt) return false;
    await trx.updateTable('opinions').set({ due_at: dueAt, updated_at: touch() }).where('id', '=', id).execute();
    await recordAudit(trx, {
      actor,
      action: 'opinion.due',
      entityType: 'opinion',
      entityId: id,
      before: { dueAt: before.due_at },
      after: { dueAt },
    });
    return true;
  });
}

/** Adds an internal note (never shown to the public). */
export async function addNote(db: DB, actor: StaffUser, id: number, body: string): Promise<number> {
  const text = cleanMultiline(body);
  if (!text) throw new UserError('models:opinions.noteEmpty');
  if (codePointLength(text) > NOTE_MAX) throw new UserError('models:opinions.noteTooLong', 400, { max: NOTE_MAX });
  return db.transaction().execute(async (trx) => {
    await loadOpinion(trx, id);
    const note = await trx
      .insertInto('opinion_notes')
      .values({ opinion_id: id, author_id: actor.id, body: text, created_at: touch() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'opinion.note',
      entityType: 'opinion',
      entityId: id,
      before: null,
      after: { noteId: note.id, body: text },
    });
    return note.id;
  });
}

/**
 * Records a citizen's withdrawal of consent to publication, told to staff by
 * phone, letter or in person: public_ok is cleared, which takes the shown
 * opinion off every public page at once (they show it only while public_ok
 * is 1) while the reply itself stays; audited with how it was received.
 * Returns false when consent was already withdrawn.
 */
export async function withdrawPublicConsent(
  db: DB,
  actor: StaffUser,
  id: number,
  withdrawal: { via: ConsentWithdrawalChannel; note: string },
): Promise<boolean> {
  const changed = await db.transaction().execute(async (trx) => {
    const before = await loadOpinion(trx, id);
    if (before.public_ok === 0) return false;
    const shown = await trx
      .selectFrom('official_replies')
      .select('id')
      .where('opinion_id', '=', id)
      .where('status', '=', 'published')
      .where('show_opinion', '=', 1)
      .executeTakeFirst();
    await trx.updateTable('opinions').set({ public_ok: 0, updated_at: touch() }).where('id', '=', id).execute();
    await recordAudit(trx, {
      actor,
      action: 'opinion.consent_withdrawn',
      entityType: 'opinion',
      entityId: id,
      before: { publicOk: true },
      after: { publicOk: false, via: withdrawal.via, note: withdrawal.note || null, shownOpinionRemoved: shown !== undefined },
    });
    return true;
  });
  if (changed) invalidateReportPages();
  return changed;
}

/** One action from the opinion page's forms; false when it changed nothing. */
export async function applyOpinionAction(db: DB, actor: StaffUser, id: number, action: OpinionAction): Promise<boolean> {
  switch (action.intent) {
    case 'status':
      return changeOpinionStatus(db, actor, id, action.status, { duplicateOfTrackingNumber: action.duplicateOf });
    case 'assign':
      return assignOpinion(db, actor, id, { unitId: action.unitId, assigneeId: action.assigneeId });
    case 'due':
      return setDueDate(db, actor, id, action.dueDate);
    case 'note':
      await addNote(db, actor, id, action.body);
      return true;
    case 'consent':
      return withdrawPublicConsent(db, actor, id, { via: action.via, note: action.note });
  }
}
