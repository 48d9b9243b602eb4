// The outbox: mail is written in the same transaction as what caused it and
// delivered later by a worker (one per app process, each message claimed by
// exactly one of them), so a slow or broken mail server never loses
// an opinion or slows a request. Each message keeps its Message-ID across
// retries; an attempt is recorded before the send, so a crash between sending
// and marking repeats the message (same Message-ID) rather than losing it,
// and a message that crashes the process cannot be retried forever.
import crypto from 'node:crypto';
import os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { sql, type Insertable } from 'kysely';
import type { OutboxMessagesTable } from '../../db/schema';
import type { DB } from '~/server/db.server';
import { preparedQuery } from '~/server/prepared-query.server';
import { randomBytes } from '~/utils/random-bytes.server';
import { isPostgres } from '../../db/dialect';
import { getEnv } from '~/utils/env.server';
import { createMailTransport, type MailTransport } from './transport.server';
import { log } from '~/server/request-log.server';
import { mailboxKey } from './ack-limit.server';

export type NewOutboxMessageInput = {
  opinionId: number | null;
  /** e.g. 'office_notification', 'citizen_ack', 'unit_notification' */
  kind: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
};

const MINUTE = 60_000;
const SCHEDULE_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 720 * MINUTE];

/** How long to wait after the `attempt`-th failed attempt (1-based): 1 min, 5 min, 30 min, 2 h, then 12 h. */
export function backoffDelayMs(attempt: number): number {
  if (attempt < 1) return 0;
  return SCHEDULE_MS[Math.min(attempt, SCHEDULE_MS.length) - 1];
}

/**
 * A version 7 UUID (RFC 9562): the time in milliseconds (48 bits), then 74
 * random bits. Message-IDs are unique in outbox_messages, and ids that grow
 * with time are added at the end of that index; random ones (version 4) each
 * landed on a leaf page of their own, ~10 % of the pages a batch of opinions
 * wrote at its COMMIT. Still a UUID, so VERP tokens (verp.server.ts) take it.
 */
export function timeOrderedUuid(now = Date.now()): string {
  // From the pool (random-bytes.server.ts): crypto.randomBytes(16) for each id was ~2 % of an opinion thread.
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let messageIdHost: string | undefined;
export function newMessageId(): string {
  messageIdHost ??= new URL(getEnv().PUBLIC_URL).hostname || 'localhost';
  return `<${timeOrderedUuid()}@${messageIdHost}>`;
}

/**
 * Whether a message of this kind is sent at all under OFFICE_MAIL_MODE: with
 * `digest` the office reads new opinions in the daily digest
 * (./digest.server) instead of one message each. Decided here, where every
 * message is queued, so that no way of creating an opinion can miss it.
 */
export function isSentUnderOfficeMailMode(kind: string, mode = getEnv().OFFICE_MAIL_MODE): boolean {
  return !(kind === 'office_notification' && mode === 'digest');
}

/**
 * Queues a message; call it inside the transaction that made the reason for
 * it. Returns the outbox id, or null when the office mail mode leaves this
 * kind of message out.
 */
export async function enqueueMessage(trx: DB, input: NewOutboxMessageInput): Promise<number | null> {
  if (!isSentUnderOfficeMailMode(input.kind)) return null;
  const now = new Date().toISOString();
  const { rows } = await insertMessage(trx, {
    opinion_id: input.opinionId,
    kind: input.kind,
    recipient: input.recipient,
    subject: input.subject,
    text_body: input.text,
    html_body: input.html,
    message_id: newMessageId(),
    next_attempt_at: now,
    created_at: now,
    mailbox_key: input.kind === 'citizen_ack' ? mailboxKey(input.recipient) : null,
  });
  return rows[0].id;
}

type NewMessageRow = Required<Pick<Insertable<OutboxMessagesTable>, 'opinion_id' | 'kind' | 'recipient' | 'subject' | 'text_body' | 'html_body' | 'message_id' | 'next_attempt_at' | 'created_at' | 'mailbox_key'>>;
// Two for every opinion (office and citizen): built once (prepared-query.server.ts).
const insertMessage = preparedQuery((db, row: NewMessageRow) => db.insertInto('outbox_messages').values(row).returning('id'));

export type DeliveryResult = { sent: number; failed: number; retried: number };

/**
 * How long a claim keeps other workers (in this or another process) off a
 * message: longer than a batch of sends takes (each is bounded by the
 * transport's timeouts). A worker stops sending its batch before its claim
 * runs out and gives the rest back, so two workers never hold one message.
 */
export const CLAIM_LEASE_MS = 10 * MINUTE;
const LEASE_MARGIN_MS = 2 * MINUTE;

/** This process's name in claimed_by: host, pid and a random tag. */
const WORKER_ID = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;

/**
 * Sends every due pending message (up to `limit`), one at a time, oldest first.
 * The batch is claimed in one short transaction (attempts + 1, next attempt
 * pushed back by the backoff, claimed by this worker until the lease ends)
 * before any send; on PostgreSQL the rows are read FOR UPDATE SKIP LOCKED, so
 * workers in several processes take disjoint messages. The sends run outside
 * any transaction and the outcomes are written in one more. A crash in between
 * leaves the claimed messages pending with their Message-IDs, so they are sent
 * again once the lease and backoff have passed, never lost.
 */
export async function deliverDueMessages(
  db: DB,
  transport: MailTransport,
  now: Date = new Date(),
  options: { maxAttempts?: number; limit?: number; workerId?: string } = {},
): Promise<DeliveryResult> {
  const maxAttempts = options.maxAttempts ?? getEnv().OUTBOX_MAX_ATTEMPTS;
  const worker = options.workerId ?? WORKER_ID;
  const nowIso = now.toISOString();
  const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };
  const dueQuery = (executor: DB) =>
    executor
      .selectFrom('outbox_messages')
      .select(['id', 'recipient', 'subject', 'text_body', 'html_body', 'message_id', 'attempts'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', nowIso)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(options.limit ?? 50);
  // Look without the write lock first: an idle poll must not queue behind
  // (or, with better-sqlite3's blocking busy wait, stall requests behind)
  // another process's write lock.
  if (!(await dueQuery(db).select('id').executeTakeFirst())) return result;
  const claimedUntil = new Date(now.getTime() + CLAIM_LEASE_MS).toISOString();
  const { due, exhausted } = await db.transaction().execute(async (trx) => {
    const query = dueQuery(trx);
    const rows = await (isPostgres(trx) ? query.forUpdate().skipLocked() : query).execute();
    // Claimed maxAttempts times already without an outcome: the process died
    // during each send. Stop here rather than retry every 12 hours forever.
    const exhausted = rows.filter((m) => m.attempts >= maxAttempts).map((m) => m.id);
    if (exhausted.length) {
      await trx
        .updateTable('outbox_messages')
        .set({ status: 'failed', last_error: 'delivery was interrupted on every attempt', claimed_until: null })
        .where('id', 'in', exhausted)
        .execute();
    }
    const claimed = rows.filter((m) => m.attempts < maxAttempts);
    for (const m of claimed) m.attempts += 1;
    // Messages with the same attempts get the same next attempt: one UPDATE
    // per such group (under a surge, one for the batch), not one per message.
    for (const attempts of new Set(claimed.map((m) => m.attempts))) {
      await trx
        .updateTable('outbox_messages')
        .set({
          attempts,
          next_attempt_at: new Date(now.getTime() + backoffDelayMs(attempts)).toISOString(),
          claimed_by: worker,
          claimed_until: claimedUntil,
        })
        .where(
          'id',
          'in',
          claimed.filter((m) => m.attempts === attempts).map((m) => m.id),
        )
        .execute();
    }
    return { due: claimed, exhausted: exhausted.length };
  });
  result.failed += exhausted;
  if (due.length === 0) return result;

  const sentIds: number[] = [];
  const returned: number[] = [];
  const failures: Array<{ id: number; failed: boolean; lastError: string }> = [];
  const stopAt = Date.now() + CLAIM_LEASE_MS - LEASE_MARGIN_MS;
  for (const m of due) {
    // The claim is running out: what is left goes back for any worker to take.
    if (Date.now() > stopAt) {
      returned.push(m.id);
      continue;
    }
    try {
      await transport.send({
        to: m.recipient,
        subject: m.subject,
        text: m.text_body,
        html: m.html_body,
        messageId: m.message_id,
      });
      sentIds.push(m.id);
      result.sent++;
    } catch (error) {
      const lastError = String(error instanceof Error ? error.message : error).slice(0, 1000);
      const failed = m.attempts >= maxAttempts;
      failures.push({ id: m.id, failed, lastError });
      if (failed) result.failed++;
      else result.retried++;
      log(failed ? 'error' : 'warn', failed ? 'mail failed' : 'mail will be retried', {
        outboxId: m.id,
        attempts: m.attempts,
        error: lastError,
      });
    }
  }

  await db.transaction().execute(async (trx) => {
    if (sentIds.length) {
      await trx
        .updateTable('outbox_messages')
        .set({ status: 'sent', sent_at: new Date().toISOString(), last_error: null, claimed_until: null })
        .where('id', 'in', sentIds)
        .execute();
    }
    // Only while this worker still holds the claim: after a lost lease
    // another worker's outcome stands.
    for (const f of failures) {
      await trx
        .updateTable('outbox_messages')
        .set({ status: f.failed ? 'failed' : 'pending', last_error: f.lastError, claimed_until: null })
        .where('id', '=', f.id)
        .where('claimed_by', '=', worker)
        .where('status', '=', 'pending')
        .execute();
    }
    if (returned.length) {
      await trx
        .updateTable('outbox_messages')
        .set((eb) => ({ attempts: eb('attempts', '-', 1), next_attempt_at: nowIso, claimed_until: null }))
        .where('id', 'in', returned)
        .where('claimed_by', '=', worker)
        .where('status', '=', 'pending')
        .execute();
    }
  });
  return result;
}

const BATCH = 50;

/** How often a worker that is giving way to requests looks again whether they are done. */
export const YIELD_CHECK_MS = 50;

export type OutboxWorkerOptions = {
  /** Requests handed to this thread are not yet answered (an opinion thread's posts and page renders). */
  busy?: () => boolean;
  /** OUTBOX_POLL_MS unless told (tests). */
  pollMs?: number;
};

/**
 * Polls every OUTBOX_POLL_MS; the returned function stops it after any send in flight.
 *
 * A full batch means more are due, and the worker goes on at once, unless
 * `busy()` says requests handed to this thread are not yet answered (decision
 * 018, twenty-sixth amendment): then it looks again every YIELD_CHECK_MS and
 * takes the next batch as soon as they are, or after OUTBOX_POLL_MS at the latest. Under a
 * flood of opinions the thread stores posts first and delivers one batch per
 * poll; the backlog goes out when the flood ends. Mail is late, never lost:
 * it is in the outbox from the post's own commit.
 */
export function startOutboxWorker(db: DB, transport: MailTransport = createMailTransport(), options: OutboxWorkerOptions = {}): () => Promise<void> {
  const pollMs = options.pollMs ?? getEnv().OUTBOX_POLL_MS;
  const busy = options.busy ?? (() => false);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const tick = () => {
    let full = false;
    inFlight = deliverDueMessages(db, transport, new Date(), { limit: BATCH })
      .then((r) => {
        full = r.sent + r.failed + r.retried >= BATCH;
      })
      .catch((error) => log('error', 'outbox worker failed', { error: String(error) }))
      .finally(() => {
        if (stopped) return;
        if (!full) timer = setTimeout(tick, pollMs);
        else giveWay(Date.now());
      });
  };
  // More are due: the next batch after a turn of the event loop (so requests
  // still go first), or once the requests waiting now are done.
  const giveWay = (since: number) => {
    timer = setTimeout(() => (!busy() || Date.now() - since >= pollMs ? tick() : giveWay(since)), busy() ? YIELD_CHECK_MS : 0);
  };
  timer = setTimeout(tick, Math.min(pollMs, 500));
  log('info', 'outbox worker started', { transport: transport.kind, pollMs, mainThread: isMainThread });

  return async () => {
    stopped = true;
    clearTimeout(timer);
    await inFlight;
    transport.close();
  };
}

export async function countOutbox(db: DB): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const counts = { pending: 0, failed: 0 };
  for (const r of rows) counts[r.status as 'pending' | 'failed'] = Number(r.n);
  return counts;
}
