// Reminders and escalations, once per opinion and stage: which open opinions
// are due one, and the record (primary key: opinion, stage) that it was sent.
import type { Transaction } from 'kysely';
import type { Channel, Database, MailStage, OpinionStatus } from '../../db/schema';
import { OPEN_STATUSES } from '~/domain/opinion-status';

type Trx = Transaction<Database>;

export type StageCandidate = {
  id: number;
  trackingNumber: string;
  reportId: number;
  sectionNumber: number;
  itemNumber: number | null;
  body: string;
  channel: Channel;
  status: OpinionStatus;
  receivedAt: string;
  dueAt: string;
  unitId: number | null;
  unitName: string | null;
  unitEmail: string | null;
};

/**
 * Open opinions without a `stage` record whose deadline lies in the range:
 * `after` < due_at <= `through`, or only `before` (overdue). Reminders need a
 * unit with an address; an escalation lists every unit, or none.
 */
export async function listStageCandidates(
  trx: Trx,
  stage: MailStage,
  range: { after?: string; through?: string; before?: string },
): Promise<StageCandidate[]> {
  let query = trx
    .selectFrom('opinions as o')
    .leftJoin('units as u', 'u.id', 'o.unit_id')
    .select([
      'o.id',
      'o.tracking_number',
      'o.report_id',
      'o.section_number',
      'o.item_number',
      'o.body',
      'o.channel',
      'o.status',
      'o.received_at',
      'o.due_at',
      'o.unit_id',
      'u.name as unit_name',
      'u.email as unit_email',
    ])
    .where('o.status', 'in', OPEN_STATUSES)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('opinion_mail_stages as s').select('s.opinion_id').whereRef('s.opinion_id', '=', 'o.id').where('s.stage', '=', stage))));
  if (range.after) query = query.where('o.due_at', '>', range.after);
  if (range.through) query = query.where('o.due_at', '<=', range.through);
  if (range.before) query = query.where('o.due_at', '<', range.before);
  if (stage !== 'escalation') query = query.where('u.email', 'is not', null);
  const rows = await query.orderBy('o.due_at').orderBy('o.id').execute();
  return rows.map((r) => ({
    id: r.id,
    trackingNumber: r.tracking_number,
    reportId: r.report_id,
    sectionNumber: r.section_number,
    itemNumber: r.item_number,
    body: r.body,
    channel: r.channel,
    status: r.status,
    receivedAt: r.received_at,
    dueAt: r.due_at,
    unitId: r.unit_id,
    unitName: r.unit_name,
    unitEmail: r.unit_email,
  }));
}

/** Marks the stage as sent for these opinions, by the message that did it. */
export async function recordMailStages(trx: Trx, opinionIds: number[], stage: MailStage, outboxMessageId: number, now = new Date()): Promise<void> {
  if (opinionIds.length === 0) return;
  await trx
    .insertInto('opinion_mail_stages')
    .values(opinionIds.map((id) => ({ opinion_id: id, stage, outbox_message_id: outboxMessageId, created_at: now.toISOString() })))
    .execute();
}
