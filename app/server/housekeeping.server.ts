// Deletes what has stopped meaning anything — sign-in attempts older than a
// day, ended sessions, ended rate-limit windows, attachment files no opinion names — and writes the refused sign-ins' audit rows, on a
// timer in the server process, so no request pays for it.
import { sweepAttachmentFiles } from '~/models/attachments.server';
import { purgeLoginAttempts } from '~/models/login-attempts.server';
import { purgeRateLimits } from '~/models/rate-limits.server';
import type { DB } from './db.server';
import { ATTEMPT_RETENTION_MS } from './login-throttle.server';
import { flushRefusedSignIns } from './refused-sign-ins.server';
import { log } from './request-log.server';
import { purgeExpiredSessions } from './session.server';

const FLUSH_EVERY_MS = 60 * 1000;
const PURGE_EVERY_MS = 10 * 60 * 1000;
/** An upload in progress has stored its files but not yet committed their rows: they are left this long. */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

export async function purgeExpired(db: DB, now = Date.now()): Promise<{ attempts: number; sessions: number; rateLimits: number }> {
  const attempts = await purgeLoginAttempts(db, new Date(now - ATTEMPT_RETENTION_MS).toISOString());
  const sessions = await purgeExpiredSessions(db, now);
  const rateLimits = await purgeRateLimits(db, new Date(now));
  return { attempts, sessions, rateLimits };
}

/** Starts the timers (a purge at once); the returned function stops them and writes what is held. */
export function startHousekeeping(db: DB, options: { flushEveryMs?: number; purgeEveryMs?: number } = {}): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const run = (what: string, job: () => Promise<unknown>) => {
    running = running.then(job).catch((error) => log('error', `housekeeping: ${what} failed`, { error: String(error) }));
  };
  run('purge', () => purgeExpired(db));
  const flush = setInterval(() => run('audit of refused sign-ins', () => flushRefusedSignIns(db)), options.flushEveryMs ?? FLUSH_EVERY_MS);
  const purge = setInterval(() => {
    run('purge', () => purgeExpired(db));
    run('sweep of orphan attachment files', () => sweepAttachmentFiles(db, ORPHAN_GRACE_MS));
  }, options.purgeEveryMs ?? PURGE_EVERY_MS);
  flush.unref();
  purge.unref();
  return async () => {
    clearInterval(flush);
    clearInterval(purge);
    await running;
    await flushRefusedSignIns(db, { everything: true });
  };
}
