// Opinions that reach the office by phone, post or visit: staff record them
// into the same inbox as web opinions, then print an acknowledgement letter to
// send back (addressed to the person, from the notice's issuer).
import type { Channel } from '../../db/schema';
import { recordAudit } from '~/models/audit.server';
import { getReportOutlineById, opinionTarget } from '~/models/opinion-targets.server';
import { insertOpinion, prepareOpinion, type CreatedOpinion } from '~/models/opinions.server';
import type { DB } from '~/server/db.server';
import type { StoredAttachment } from '~/server/attachment-content.server';
import type { StaffUser } from '~/server/session.server';
import { runQueuedWrite } from '~/server/write-queue.server';
import type { Target } from '~/utils/format';

export type OfflineOpinionInput = {
  channel: Extract<Channel, 'phone' | 'post' | 'visit'>;
  receivedAt: Date;
  reportId: number;
  sectionNumber: number;
  itemNumber: number | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  replyWanted: boolean;
  publicOk: boolean;
  formToken: string | null;
  /** Scans of what came by post or was handed over (stored already; rows join this transaction). */
  attachments?: readonly StoredAttachment[];
};

/**
 * Stores the opinion, its mail and its audit row in one transaction. Staff
 * record consent on the person's behalf (they were told how it is handled).
 * A double submission returns the first opinion and writes nothing.
 * Throws OpinionTargetError when the target does not exist.
 */
export async function recordOfflineOpinion(db: DB, actor: StaffUser, input: OfflineOpinionInput): Promise<CreatedOpinion> {
  const prepared = await prepareOpinion(db, {
    ...input,
    consent: true,
    clientHash: null,
    userAgent: null,
    recordedById: actor.id,
  });
  return runQueuedWrite(db, async (trx) => {
    const created = await insertOpinion(trx, prepared);
    if (!created.duplicate) {
      await recordAudit(trx, {
        actor,
        action: 'opinion.record',
        entityType: 'opinion',
        entityId: created.id,
        after: {
          trackingNumber: created.trackingNumber,
          channel: input.channel,
          receivedAt: input.receivedAt.toISOString(),
        },
      });
    }
    return created;
  });
}

/** What the printed acknowledgement (受付票) says: a letter from the notice's issuer to the person. */
export type OpinionAcknowledgement = {
  id: number;
  trackingNumber: string;
  channel: Channel;
  receivedAt: string;
  dueAt: string;
  replyWanted: boolean;
  reportTitle: string;
  target: Target;
  /** The addressee; null fields were not given. */
  recipient: { name: string | null; address: string | null };
  /** The notice's issuer and its published channels. */
  sender: { issuer: string; mailbox: string; phone: string };
};

/** The acknowledgement of one opinion (staff only: it carries the name and postal address), or null. */
export async function getOpinionAcknowledgement(db: DB, id: number): Promise<OpinionAcknowledgement | null> {
  const row = await db
    .selectFrom('opinions')
    .select([
      'id',
      'tracking_number',
      'report_id',
      'section_number',
      'item_number',
      'name',
      'address',
      'channel',
      'received_at',
      'due_at',
      'reply_wanted',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const outline = await getReportOutlineById(db, row.report_id);
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    channel: row.channel,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    replyWanted: row.reply_wanted === 1,
    reportTitle: outline?.title ?? '',
    target: opinionTarget(outline, row.section_number, row.item_number),
    recipient: { name: row.name, address: row.address },
    sender: { issuer: outline?.issuer ?? '', mailbox: outline?.mailbox ?? '', phone: outline?.phone ?? '' },
  };
}
