// Delivering the outbox: each message keeps its Message-ID across retries;
// an attempt is recorded before the send, so a crash between sending and
// marking repeats the message (same Message-ID) rather than losing it, and a
// message that crashes the process cannot be retried forever.
import crypto from 'node:crypto';
import os from 'node:os';
import type { DB } from '~/server/db.server';
import { isPostgres } from '../../db/dialect';
import { getEnv } from '~/utils/env.server';
import { log } from '~/server/request-log.server';
import { backoffDelayMs, MINUTE } from './outbox.server';
import type { MailTransport } from './transport.server';

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
