// The outbox: mail is written in the same transaction as what caused it and
// delivered later by one worker, so a slow or broken mail server never loses
// an opinion or slows a request. Each message keeps its Message-ID across
// retries; an attempt is recorded before the send, so a crash between sending
// and marking repeats the message (same Message-ID) rather than losing it,
// and a message that crashes the process cannot be retried forever.
import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import type { DB } from './db.server';
import { getEnv } from './env.server';
import { createMailTransport, type MailTransport } from './mail.server';
import { log } from './request-log.server';

type Executor = Kysely<Database> | Transaction<Database>;

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

let messageIdHost: string | undefined;
export function newMessageId(): string {
  messageIdHost ??= new URL(getEnv().PUBLIC_URL).hostname || 'localhost';
  return `<${crypto.randomUUID()}@${messageIdHost}>`;
}

/** Queues a message; call it inside the transaction that made the reason for it. */
export async function enqueueMessage(trx: Executor, input: NewOutboxMessageInput): Promise<void> {
  const now = new Date().toISOString();
  await trx
    .insertInto('outbox_messages')
    .values({
      opinion_id: input.opinionId,
      kind: input.kind,
      recipient: input.recipient,
      subject: input.subject,
      text_body: input.text,
      html_body: input.html,
      message_id: newMessageId(),
      next_attempt_at: now,
      created_at: now,
    })
    .execute();
}

export type DeliveryResult = { sent: number; failed: number; retried: number };

/** Sends every due pending message, one at a time, oldest first. */
export async function deliverDueMessages(
  db: DB,
  transport: MailTransport,
  now: Date = new Date(),
  options: { maxAttempts?: number; limit?: number } = {},
): Promise<DeliveryResult> {
  const maxAttempts = options.maxAttempts ?? getEnv().OUTBOX_MAX_ATTEMPTS;
  const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };
  const due = await db
    .selectFrom('outbox_messages')
    .select(['id', 'recipient', 'subject', 'text_body', 'html_body', 'message_id', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now.toISOString())
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(options.limit ?? 50)
    .execute();

  for (const m of due) {
    const attempts = m.attempts + 1;
    // Claim the attempt first (see the file comment).
    await db
      .updateTable('outbox_messages')
      .set({ attempts, next_attempt_at: new Date(now.getTime() + backoffDelayMs(attempts)).toISOString() })
      .where('id', '=', m.id)
      .execute();
    try {
      await transport.send({ to: m.recipient, subject: m.subject, text: m.text_body, html: m.html_body, messageId: m.message_id });
      await db
        .updateTable('outbox_messages')
        .set({ status: 'sent', sent_at: new Date().toISOString(), last_error: null })
        .where('id', '=', m.id)
        .execute();
      result.sent++;
    } catch (error) {
      const lastError = String(error instanceof Error ? error.message : error).slice(0, 1000);
      const failed = attempts >= maxAttempts;
      await db
        .updateTable('outbox_messages')
        .set({ status: failed ? 'failed' : 'pending', last_error: lastError })
        .where('id', '=', m.id)
        .execute();
      if (failed) result.failed++;
      else result.retried++;
      log(failed ? 'error' : 'warn', failed ? 'mail failed' : 'mail will be retried', {
        outboxId: m.id,
        attempts,
        error: lastError,
      });
    }
  }
  return result;
}

/** Polls every OUTBOX_POLL_MS; the returned function stops it after any send in flight. */
export function startOutboxWorker(db: DB, transport: MailTransport = createMailTransport()): () => Promise<void> {
  const pollMs = getEnv().OUTBOX_POLL_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const tick = () => {
    inFlight = deliverDueMessages(db, transport)
      .catch((error) => log('error', 'outbox worker failed', { error: String(error) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  timer = setTimeout(tick, Math.min(pollMs, 500));
  log('info', 'outbox worker started', { transport: transport.kind, pollMs });

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
