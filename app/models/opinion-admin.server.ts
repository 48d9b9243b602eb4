// Staff actions on one opinion. Each runs in one transaction with its audit
// row (before → after), so the history never disagrees with the opinion.
import type { Transaction } from 'kysely';
import type { Database, Opinion, OpinionStatus } from '../../db/schema';
import { OPINION_STATUSES } from '../../db/schema';
import { getSectionTitles } from '~/models/reports.server';
import type { DB } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { itemLabel, sectionLabel } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import { CHANNEL_LABELS } from '~/domain/labels';
import { escapeHtml } from '~/mail/templates.server';
import { enqueueMessage } from '~/mail/outbox.server';
import type { StaffUser } from '~/server/session.server';
import { normalizeTrackingNumber } from '~/domain/tracking-number.server';
import { UserError } from '~/utils/user-error.server';
import { recordAudit } from './audit.server';

type Trx = Transaction<Database>;

export const NOTE_MAX_CHARS = 2000;

async function loadOpinion(trx: Trx | DB, id: number): Promise<Opinion> {
  const opinion = await trx.selectFrom('opinions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!opinion) throw new UserError('この意見は見つかりません。', 404);
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
  if (!OPINION_STATUSES.includes(status)) throw new UserError('状態の値が正しくありません。');
  return db.transaction().execute(async (trx) => {
    const before = await loadOpinion(trx, id);
    let duplicateOf: { id: number; tracking_number: string } | null = null;
    if (status === 'duplicate') {
      const typed = options.duplicateOfTrackingNumber?.trim() ?? '';
      // Accept the number as people type it (lower case, full width, no hyphens).
      const number = typed ? (normalizeTrackingNumber(typed) ?? typed.normalize('NFKC').toUpperCase()) : '';
      if (!number) throw new UserError('「重複」にするには、重複先の受付番号を入力してください。');
      duplicateOf =
        (await trx.selectFrom('opinions').select(['id', 'tracking_number']).where('tracking_number', '=', number).executeTakeFirst()) ??
        null;
      if (!duplicateOf) throw new UserError(`受付番号「${number}」の意見は見つかりません。番号をご確認ください。`);
      if (duplicateOf.id === id) throw new UserError('重複先には、この意見とは別の受付番号を入力してください。');
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

async function unitNotification(trx: Trx, opinion: Opinion, unitName: string, actor: StaffUser) {
  const titles = await getSectionTitles(trx, opinion.report_id);
  const section = titles.get(opinion.section_number);
  const target =
    opinion.section_number === 0
      ? '通報全体'
      : `${sectionLabel(opinion.section_number)} ${section?.title ?? ''}${
          opinion.item_number !== null ? ` ／ ${itemLabel(opinion.item_number)}${section?.items.get(opinion.item_number) ?? ''}` : ''
        }`;
  const url = `${getEnv().PUBLIC_URL}/staff/opinions/${opinion.id}`;
  const subject = `[担当 ${opinion.tracking_number}] ${
    opinion.section_number === 0 ? '通報全体' : `${sectionLabel(opinion.section_number)} ${section?.title ?? ''}`
  }`.trim();
  const facts: Array<[string, string]> = [
    ['受付番号', opinion.tracking_number],
    ['対象', target],
    ['受付日時', `${formatDateTime(opinion.received_at)}(北京時間)`],
    ['受付経路', CHANNEL_LABELS[opinion.channel]],
    ['回答期限', `${formatDateTime(opinion.due_at)}(北京時間)`],
    ['担当部署', unitName],
    ['割り当てた職員', actor.displayName],
  ];
  const intro = `${unitName} ご担当者様\n\n次の意見の担当に指定されました。内容を確認し、対応をお願いします。`;
  // The citizen's name and contact stay on the staff page; the mail carries only the opinion.
  const text = `${intro}\n\n${facts.map(([k, v]) => `${k}:${v}`).join('\n')}\n\n意見:\n${opinion.body}\n\n詳細と連絡先は職員画面で確認できます(サインインが必要です):\n${url}\n`;
  const html = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${intro
    .split('\n\n')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')}<table cellpadding="4">${facts
    .map(([k, v]) => `<tr><th align="left" valign="top">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</table><p>意見:</p><blockquote>${escapeHtml(opinion.body).replace(/\n/g, '<br>')}</blockquote><p>詳細と連絡先は職員画面で確認できます(サインインが必要です):<br><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p></body></html>`;
  return { subject, text, html };
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
      throw new UserError('選ばれた担当部署は見つからないか、廃止されています。一覧から選び直してください。');
    }
    if (assignment.assigneeId !== null && (!assignee || (assignment.assigneeId !== before.assignee_id && !assignee.active))) {
      throw new UserError('選ばれた担当者は見つからないか、無効になっています。一覧から選び直してください。');
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

/** The end of a calendar day (YYYY-MM-DD) in Asia/Shanghai, as stored ISO text. */
export function endOfShanghaiDay(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const d = new Date(`${date}T23:59:59.999+08:00`);
  if (Number.isNaN(d.getTime()) || !new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)) return null;
  return d.toISOString();
}

/** Sets the answer deadline to the end of the given day (Asia/Shanghai). Returns false when unchanged. */
export async function setDueDate(db: DB, actor: StaffUser, id: number, dueDate: string): Promise<boolean> {
  const dueAt = endOfShanghaiDay(dueDate);
  if (!dueAt) throw new UserError('回答期限の日付が正しくありません(例:2026-12-25)。');
  return db.transaction().execute(async (trx) => {
    const before = await loadOpinion(trx, id);
    if (dueAt < before.received_at) throw new UserError('回答期限は受付日より後の日付にしてください。');
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
  const text = body.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (!text) throw new UserError('メモの内容を入力してください。');
  if ([...text].length > NOTE_MAX_CHARS) throw new UserError(`メモは${NOTE_MAX_CHARS.toLocaleString('ja-JP')}文字以内で入力してください。`);
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
