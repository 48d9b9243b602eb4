import { sql, type Insertable, type Transaction } from 'kysely';
import type { Channel, Database, Language, OpinionsTable } from '../../db/schema';
import { getCommentWindow } from '~/models/reports.server';
import { checkOpinionTarget, getReportOutlineById, OpinionTargetError, opinionTarget, type ReportOutline } from '~/models/opinion-targets.server';
import { isAcceptingOpinions } from '~/domain/comment-period';
import type { DB } from '~/server/db.server';
import { isPostgres } from '../../db/dialect';
import { computeDueAt } from '~/domain/due-date';
import { getEnv } from '~/utils/env.server';
import { citizenAcknowledgement, officeNotification, type OpinionMailContext } from '~/mail/templates.server';
import { enqueueMessage } from '~/mail/outbox.server';
import { countRecentAcknowledgements } from '~/mail/ack-limit.server';
import { runQueuedWrite } from '~/server/write-queue.server';
import { preparedQuery } from '~/server/prepared-query.server';
import { generateReceiptToken, generateTrackingNumber } from '~/domain/tracking-number.server';
import { isUniqueViolation } from '~/server/db-errors.server';
import type { StoredAttachment } from '~/server/attachment-content.server';
import { checkRateLimit, RateLimitExceeded } from '~/utils/rate-limit.server';
import { insertAttachments } from './attachments.server';
import { contentColumns, findDoubleSubmission, isFormTokenUsed, opinionContentKey } from './double-submissions.server';

export type CreateOpinionInput = {
  reportId: number;
  sectionNumber: number;
  itemNumber: number | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** Postal address for an answer by post; only staff record one (absent = none). */
  address?: string | null;
  replyWanted: boolean;
  publicOk: boolean;
  consent: boolean;
  channel: Channel;
  receivedAt: Date;
  clientHash: string | null;
  userAgent: string | null;
  formToken: string | null;
  recordedById: number | null;
  /**
   * Files already stored (attachment-content.server): their rows join the
   * opinion's transaction. A double submission keeps the first opinion's
   * files; these become orphans the sweep removes.
   */
  attachments?: readonly StoredAttachment[];
  /** The language of the page it was sent from (default ja): the citizen's mail is written in it. */
  language?: Language;
  /**
   * The sender's allowance (the web form's per-client rate limit): one hit is
   * counted in the opinion's own transaction, first, so only an opinion that
   * is stored (or sent again as a double submission) uses it up. Past `limit`
   * the opinion is refused with RateLimitExceeded and nothing of it is written.
   */
  allowance?: { bucket: string; key: string; limit: number; windowMs: number };
};

export type CreatedOpinion = {
  id: number;
  trackingNumber: string;
  receiptToken: string;
  duplicate: boolean;
  /** An email was given but the acknowledgement was not queued (the per-address cap). */
  ackWithheld: boolean;
};

// --- Creating -----------------------------------------------------------------

/**
 * Stores an opinion and queues its mail (to each office address, and an
 * acknowledgement to the citizen when an email was given) in one transaction
 * (a group commit shared with concurrent opinions, see write-queue.server.ts).
 * The same form render posted twice, or the same body on the same section from
 * the same client within 10 minutes, returns the first opinion with
 * `duplicate: true` and writes nothing. When ACK_LIMIT_PER_ADDRESS
 * acknowledgements already went to the address in 24 hours, the opinion is
 * stored and the office told as always; only the acknowledgement is skipped,
 * and the opinion says so (ack_withheld).
 */
export async function createOpinion(db: DB, input: CreateOpinionInput): Promise<CreatedOpinion> {
  const prepared = await prepareOpinion(db, input);
  // Shares its transaction (and its durable commit) with opinions arriving at
  // the same moment; resolves only after that commit.
  return runQueuedWrite(db, (trx) => insertOpinion(trx, prepared));
}

/** An opinion as the public form and the intake API send it (their schemas' field names). */
export type SubmittedOpinion = {
  section: number;
  item: number | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  replyWanted: boolean;
  publicOk: boolean;
  consent: boolean;
  formToken: string | null;
  attachments?: readonly StoredAttachment[];
};

/** Where a submitted opinion came from: the web form (with its client) or another system. */
export type OpinionOrigin = Pick<CreateOpinionInput, 'channel' | 'receivedAt' | 'clientHash' | 'userAgent' | 'language' | 'allowance'>;

/** createOpinion for an opinion nobody on the staff recorded. */
export async function submitOpinion(db: DB, reportId: number, opinion: SubmittedOpinion, origin: OpinionOrigin): Promise<CreatedOpinion> {
  const { section, item, ...rest } = opinion;
  return createOpinion(db, { reportId, sectionNumber: section, itemNumber: item, ...rest, ...origin, recordedById: null });
}

/** An opinion whose target has been checked against its report, ready to insert. */
export type PreparedOpinion = { input: CreateOpinionInput; outline: ReportOutline; outsidePeriod?: boolean };

/**
 * Checks the target (OpinionTargetError when the report, section or item does
 * not exist). An opinion staff record (phone, post, visit) that was received
 * outside the notice's comment period is kept and marked 期間外; the web form
 * refuses such a post before it gets here.
 */
export async function prepareOpinion(db: DB, input: CreateOpinionInput): Promise<PreparedOpinion> {
  const outline = await getReportOutlineById(db, input.reportId);
  if (!outline) throw new OpinionTargetError(`report ${input.reportId} does not exist`);
  const targetError = checkOpinionTarget(outline, input.sectionNumber, input.itemNumber);
  if (targetError) throw new OpinionTargetError(targetError);
  if (input.channel === 'web') return { input, outline };
  const period = await getCommentWindow(db, input.reportId);
  return { input, outline, outsidePeriod: period ? !isAcceptingOpinions(period, input.receivedAt) : false };
}

// An opinion's insert, built once (prepared-query.server.ts).
const insertOpinionRow = preparedQuery((db, row: Insertable<OpinionsTable>) =>
  db.insertInto('opinions').values(row).returning(['id', 'tracking_number', 'receipt_token']),
);

/**
 * The writes of createOpinion inside a transaction the caller holds, so that
 * a caller can add its own rows (an audit entry) to the same commit.
 */
export async function insertOpinion(trx: Transaction<Database>, { input, outline, outsidePeriod }: PreparedOpinion): Promise<CreatedOpinion> {
  const env = getEnv();
  const now = new Date();
  const nowIso = now.toISOString();
  const receivedAt = input.receivedAt.toISOString();
  const dueAt = computeDueAt(input.receivedAt, env.SLA_DAYS);
  const address = input.address ?? null;
  if (input.allowance) {
    // In the opinion's transaction instead of one of its own: a rollback
    // (this opinion refused or failed) takes the hit back, and a post costs
    // one COMMIT, not two.
    const { bucket, key, limit, windowMs } = input.allowance;
    const verdict = await checkRateLimit(trx, bucket, key, limit, windowMs, now.getTime());
    if (!verdict.ok) throw new RateLimitExceeded(verdict.retryAfterSeconds);
  }
  // A double submission is the same content (target, text, name, contacts and
  // choices) sent again: from the same form render, or from the same client
  // within 10 minutes. A shared token or a shared address alone (a cached
  // page, a carrier NAT) never hands one person's receipt to another. A
  // resubmission that changes publicOk or replyWanted is a new opinion: the
  // person's latest choice is never silently dropped.
  let formToken = input.formToken;
  const contentKey = opinionContentKey(input, address);
  if (input.formToken || input.clientHash) {
    const first = await findDoubleSubmission(trx, input, { address, contentKey, now });
    if (first)
      return {
        id: first.id,
        trackingNumber: first.tracking_number,
        receiptToken: first.receipt_token,
        duplicate: true,
        ackWithheld: false,
      };
    // The token came with different content (an old tab, a shared cache): a new opinion.
    if (formToken && (await isFormTokenUsed(trx, formToken))) formToken = null;
  }

  // Counted in this transaction, so acknowledgements queued by opinions
  // committed together (or before a restart) count too.
  const ackWithheld =
    input.email !== null && (await countRecentAcknowledgements(trx, input.email, now)) >= env.ACK_LIMIT_PER_ADDRESS;

  let inserted: { id: number; tracking_number: string; receipt_token: string } | undefined;
  // PostgreSQL aborts the whole transaction on a failed statement; a savepoint
  // lets a colliding draw be retried (SQLite undoes only the statement).
  const savepoint = isPostgres(trx);
  for (let attempt = 0; !inserted; attempt++) {
    if (savepoint) await sql`savepoint opinion_insert`.execute(trx);
    try {
      inserted = (
        await insertOpinionRow(trx, {
          tracking_number: generateTrackingNumber(input.receivedAt),
          receipt_token: generateReceiptToken(),
          ...contentColumns(input, address),
          consent: input.consent ? 1 : 0,
          channel: input.channel,
          received_at: receivedAt,
          due_at: dueAt,
          client_hash: input.clientHash,
          user_agent: input.userAgent,
          form_token: formToken,
          content_key: contentKey,
          recorded_by_id: input.recordedById,
          outside_period: outsidePeriod ? 1 : 0,
          language: input.language ?? 'ja',
          created_at: nowIso,
          updated_at: nowIso,
          ack_withheld: ackWithheld ? 'address_limit' : null,
        })
      ).rows[0];
      if (savepoint) await sql`release savepoint opinion_insert`.execute(trx);
    } catch (error) {
      if (savepoint) await sql`rollback to savepoint opinion_insert`.execute(trx);
      // 40 random bits per year: a collision is rare, and a new draw fixes it.
      if (attempt < 5 && (isUniqueViolation(error, 'tracking_number') || isUniqueViolation(error, 'receipt_token'))) continue;
      throw error;
    }
  }

  const files = input.attachments ?? [];
  const attachmentIds = await insertAttachments(trx, inserted.id, files, input.recordedById);

  const mail: OpinionMailContext = {
    opinionId: inserted.id,
    trackingNumber: inserted.tracking_number,
    reportTitle: outline.title,
    ...opinionTarget(outline, input.sectionNumber, input.itemNumber),
    body: input.body,
    name: input.name,
    email: input.email,
    phone: input.phone,
    replyWanted: input.replyWanted,
    publicOk: input.publicOk,
    channel: input.channel,
    receivedAt,
    dueAt,
    contactPhone: outline.phone,
    contactMailbox: outline.mailbox,
    publicUrl: env.PUBLIC_URL,
    ackWithheldAfter: ackWithheld ? env.ACK_LIMIT_PER_ADDRESS : null,
    attachments: files.map((f, i) => ({ id: attachmentIds[i], name: f.name, type: f.type, size: f.size })),
  };
  const office = officeNotification(mail, env.OFFICE_LANG);
  for (const recipient of env.OFFICE_EMAIL) {
    await enqueueMessage(trx, { opinionId: inserted.id, kind: 'office_notification', recipient, ...office });
  }
  if (input.email && !ackWithheld) {
    const ack = citizenAcknowledgement(mail, input.language ?? 'ja');
    await enqueueMessage(trx, { opinionId: inserted.id, kind: 'citizen_ack', recipient: input.email, ...ack });
  }
  return {
    id: inserted.id,
    trackingNumber: inserted.tracking_number,
    receiptToken: inserted.receipt_token,
    duplicate: false,
    ackWithheld,
  };
}
