// How fast sign-in may be tried, over the attempts in models/login-attempts
// (stored, so a restart does not hand out a fresh set of guesses):
// - one client: five failures within 15 minutes stop it for 15 minutes;
// - one account: after five failures in a row, each further try must wait
//   longer (30 s, 1 min, 2 min … up to 15 min) — a delay, never a lock, so a
//   stranger typing at the well-known first admin cannot keep its owner out
//   for more than the current wait; the owner is mailed at the tenth failure;
//   a browser that has signed in to the account before skips the delay
//   (server/known-device).
// The check and the attempt's row are written in one transaction before the
// password is verified, so N parallel guesses are N attempts, not one.
import { getLastSuccessAt, listFailureTimes, recordLoginAttempt } from '~/models/login-attempts.server';
import type { DB } from './db.server';

const MINUTE = 60 * 1000;
const CLIENT_FAILURES = 5;
const CLIENT_WINDOW_MS = 15 * MINUTE;
export const CLIENT_LOCK_MS = 15 * MINUTE;
/** Failures in a row an account allows before each further try waits. */
export const ACCOUNT_FREE_FAILURES = 5;
const ACCOUNT_DELAY_BASE_MS = 30 * 1000;
export const ACCOUNT_DELAY_MAX_MS = 15 * MINUTE;
/** The failure in a row at which the account's owner is mailed. */
export const OWNER_ALERT_FAILURES = 10;
/** Attempts older than this say nothing any more; housekeeping deletes them. */
export const ATTEMPT_RETENTION_MS = 24 * 60 * MINUTE;

/**
 * When a client's lock ends, given its failure times in ascending order: five
 * failures within 15 minutes lock for 15 minutes from the fifth. Null when not locked.
 */
export function lockedUntil(failures: number[], now: number): number | null {
  let until: number | null = null;
  for (let i = CLIENT_FAILURES - 1; i < failures.length; i++) {
    if (failures[i] - failures[i - CLIENT_FAILURES + 1] <= CLIENT_WINDOW_MS) {
      const end = failures[i] + CLIENT_LOCK_MS;
      if (until === null || end > until) until = end;
    }
  }
  return until !== null && until > now ? until : null;
}

/** How long an account's next try waits after `failures` failures in a row. */
export function accountDelayMs(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(ACCOUNT_DELAY_BASE_MS * 2 ** (failures - ACCOUNT_FREE_FAILURES), ACCOUNT_DELAY_MAX_MS);
}

/** When an account may be tried again, given its failures in a row (ascending); null when it may be now. */
export function accountWaitUntil(failures: number[], now: number): number | null {
  if (failures.length === 0) return null;
  const until = failures[failures.length - 1] + accountDelayMs(failures.length);
  return until > now ? until : null;
}

export type LoginLock = { scope: 'account' | 'client'; until: number; retryAfterSeconds: number };
type Key = { email: string; clientHash: string; knownDevice?: boolean };

async function readState(db: DB, key: Key, now: number) {
  const horizon = new Date(now - ATTEMPT_RETENTION_MS).toISOString();
  // A successful sign-in ends the account's run of failures, not the client's:
  // otherwise one valid account would let a client spray guesses at others.
  const accountSince = (await getLastSuccessAt(db, key.email, horizon)) ?? horizon;
  const accountFailures = await listFailureTimes(db, { email: key.email }, accountSince);
  const clientFailures = await listFailureTimes(db, { clientHash: key.clientHash }, new Date(now - CLIENT_WINDOW_MS - CLIENT_LOCK_MS).toISOString());
  const candidates: LoginLock[] = [];
  const account = key.knownDevice ? null : accountWaitUntil(accountFailures, now);
  if (account) candidates.push({ scope: 'account', until: account, retryAfterSeconds: Math.ceil((account - now) / 1000) });
  const client = lockedUntil(clientFailures, now);
  if (client) candidates.push({ scope: 'client', until: client, retryAfterSeconds: Math.ceil((client - now) / 1000) });
  candidates.sort((a, b) => b.until - a.until);
  return { lock: candidates[0] ?? null, accountFailures };
}

/** The wait on this account or lock on this client, whichever ends later; null when sign-in may proceed. */
export async function checkLoginLock(db: DB, key: Key, now = Date.now()): Promise<LoginLock | null> {
  return (await readState(db, key, now)).lock;
}

export type AdmittedAttempt = {
  attemptId: number;
  /** This attempt's place in the account's run of failures, should it fail. */
  streak: number;
  streakStartedAt: number;
};

/**
 * Checks the rules and, when they allow it, records the attempt as a failure
 * — both in one BEGIN IMMEDIATE transaction, so parallel attempts are counted
 * one after another. The caller verifies the password only when admitted.
 */
export async function admitLoginAttempt(db: DB, key: Key, now = Date.now()): Promise<{ lock: LoginLock } | AdmittedAttempt> {
  return db.transaction().execute(async (trx) => {
    const { lock, accountFailures } = await readState(trx, key, now);
    if (lock) return { lock };
    const attemptId = await recordLoginAttempt(trx, { email: key.email, clientHash: key.clientHash, success: false }, now);
    return { attemptId, streak: accountFailures.length + 1, streakStartedAt: accountFailures[0] ?? now };
  });
}

function roughly(seconds: number): string {
  return seconds < 60 ? `約${Math.max(1, seconds)}秒後` : `約${Math.ceil(seconds / 60)}分後`;
}

export function lockMessage(lock: LoginLock): string {
  return lock.scope === 'account'
    ? `このアカウントへのサインインの失敗が続いたため、次に試せるまで少しお待ちいただいています。${roughly(lock.retryAfterSeconds)}にもう一度お試しください。パスワードが分からない場合は管理者にお問い合わせください。`
    : `サインインの失敗が続いたため、この端末からのサインインを一時的に停止しています。${roughly(lock.retryAfterSeconds)}にもう一度お試しください。パスワードが分からない場合は管理者にお問い合わせください。`;
}
