// Sign-in lockout: the rule over the attempts in models/login-attempts, which
// are stored so that a restart does not hand an attacker a fresh set of guesses.
import { getLastSuccessAt, listFailureTimes } from '~/models/login-attempts.server';
import type { DB } from './db.server';

const LOCKOUT_FAILURES = 5;
const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_DURATION_MS = 15 * 60 * 1000;

/**
 * When the lock ends, given failure times in ascending order: five failures
 * within 15 minutes lock for 15 minutes from the fifth. Null when not locked.
 */
export function lockedUntil(failures: number[], now: number): number | null {
  let until: number | null = null;
  for (let i = LOCKOUT_FAILURES - 1; i < failures.length; i++) {
    if (failures[i] - failures[i - LOCKOUT_FAILURES + 1] <= LOCKOUT_WINDOW_MS) {
      const end = failures[i] + LOCKOUT_DURATION_MS;
      if (until === null || end > until) until = end;
    }
  }
  return until !== null && until > now ? until : null;
}

type LoginLock = { scope: 'account' | 'client'; until: number; retryAfterSeconds: number };

/** The lock on this account or this client, whichever ends later; null when sign-in may proceed. */
export async function checkLoginLock(db: DB, key: { email: string; clientHash: string }, now = Date.now()): Promise<LoginLock | null> {
  const horizon = new Date(now - LOCKOUT_WINDOW_MS - LOCKOUT_DURATION_MS).toISOString();
  // A successful sign-in clears the account's earlier typos, not the client's:
  // otherwise one valid account would let a client spray guesses at others.
  const accountSince = (await getLastSuccessAt(db, key.email, horizon)) ?? horizon;
  const candidates: LoginLock[] = [];
  const account = lockedUntil(await listFailureTimes(db, { email: key.email }, accountSince), now);
  if (account) candidates.push({ scope: 'account', until: account, retryAfterSeconds: Math.ceil((account - now) / 1000) });
  const client = lockedUntil(await listFailureTimes(db, { clientHash: key.clientHash }, horizon), now);
  if (client) candidates.push({ scope: 'client', until: client, retryAfterSeconds: Math.ceil((client - now) / 1000) });
  candidates.sort((a, b) => b.until - a.until);
  return candidates[0] ?? null;
}

export function lockMessage(lock: LoginLock): string {
  const minutes = Math.max(1, Math.ceil(lock.retryAfterSeconds / 60));
  return `サインインの失敗が続いたため、${lock.scope === 'account' ? 'このアカウントへの' : 'この端末からの'}サインインを一時的に停止しています。約${minutes}分後にもう一度お試しください。パスワードが分からない場合は管理者にお問い合わせください。`;
}
