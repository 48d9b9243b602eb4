// The outbox's poll loop, sending due messages in batches: one per app
// process (boot.server.ts), or the first opinion thread's when there are any.
import { isMainThread } from 'node:worker_threads';
import type { DB } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { log } from '~/server/request-log.server';
import { deliverDueMessages } from './outbox-delivery.server';
import { createMailTransport, type MailTransport } from './transport.server';

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
