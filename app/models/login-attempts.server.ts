// Sign-in attempts, kept so that a lock survives a restart (the rule that
// reads them is in server/login-throttle). Clients are keyed by hashClient().
import type { DB } from '~/server/db.server';

export async function recordLoginAttempt(
  db: DB,
  attempt: { email: string; clientHash: string; success: boolean },
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({
      email: attempt.email,
      client_hash: attempt.clientHash,
      success: attempt.success ? 1 : 0,
      created_at: new Date(now).toISOString(),
    })
    .execute();
}

/** Times (ms) of the failed attempts on one account or from one client after `since` (ISO), oldest first. */
export async function listFailureTimes(db: DB, by: { email: string } | { clientHash: string }, since: string): Promise<number[]> {
  const [column, value] = 'email' in by ? (['email', by.email] as const) : (['client_hash', by.clientHash] as const);
  const rows = await db
    .selectFrom('login_attempts')
    .select('created_at')
    .where(column, '=', value)
    .where('success', '=', 0)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => Date.parse(r.created_at));
}

/** When the account last signed in successfully after `since` (ISO), or null. */
export async function getLastSuccessAt(db: DB, email: string, since: string): Promise<string | null> {
  const row = await db
    .selectFrom('login_attempts')
    .select('created_at')
    .where('email', '=', email)
    .where('success', '=', 1)
    .where('created_at', '>', since)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.created_at ?? null;
}

/** Attempts older than a day say nothing about a lock; keep the table small. */
export async function purgeLoginAttempts(db: DB, now = Date.now()): Promise<void> {
  await db
    .deleteFrom('login_attempts')
    .where('created_at', '<', new Date(now - 24 * 60 * 60 * 1000).toISOString())
    .execute();
}
