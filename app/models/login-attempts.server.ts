// Sign-in attempts, kept so that a lock survives a restart (the rule that
// reads them is in server/login-throttle). Clients are keyed by hashClient().
// An attempt is recorded as a failure before its password is checked and
// turned into a success afterwards, so parallel guesses each count at once.
import type { DB } from '~/server/db.server';
import { getUserLanguage } from '~/models/user-language.server';
import type { StaffUser } from '~/server/session.server';
import { signInFailuresAlert } from '~/mail/account-mail.server';
import { enqueueMessage } from '~/mail/outbox.server';
import { recordAudit } from './audit.server';

export async function recordLoginAttempt(
  db: DB,
  attempt: { email: string; clientHash: string; success: boolean },
  now = Date.now(),
): Promise<number> {
  const row = await db
    .insertInto('login_attempts')
    .values({
      email: attempt.email,
      client_hash: attempt.clientHash,
      success: attempt.success ? 1 : 0,
      created_at: new Date(now).toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
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
    .orderBy('id')
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

/** Deletes attempts made before `before` (ISO); returns how many. */
export async function purgeLoginAttempts(db: DB, before: string): Promise<number> {
  const result = await db.deleteFrom('login_attempts').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The password was right: the attempt becomes a success and the sign-in is audited, together. */
export async function recordSignInSuccess(db: DB, attemptId: number, user: StaffUser): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('login_attempts').set({ success: 1 }).where('id', '=', attemptId).execute();
    await recordAudit(trx, { actor: user, action: 'auth.login', entityType: 'user', entityId: user.id });
  });
}

/**
 * The password was wrong (or the account unknown or inactive); the attempt is
 * already stored as a failure. Audits it and, when this is the account's
 * `alertAt`-th failure in a row, queues a message to its owner — in one transaction.
 */
export async function recordSignInFailure(
  db: DB,
  failure: {
    email: string;
    clientHash: string;
    reason: 'unknown_email' | 'wrong_password' | 'inactive';
    user: { id: number; email: string; displayName: string; active: boolean } | null;
    /** This failure's place in the account's run of failures, and the run's first time (ms). */
    streak: number;
    streakStartedAt: number;
    alertAt: number;
    publicUrl: string;
  },
  now = Date.now(),
): Promise<{ ownerAlerted: boolean }> {
  const { user } = failure;
  const alert = user !== null && user.active && failure.streak === failure.alertAt;
  await db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      actor: null,
      actorLabel: failure.email,
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: user?.id ?? null,
      after: { email: failure.email, reason: failure.reason, clientHash: failure.clientHash },
    });
    if (alert) {
      const mail = signInFailuresAlert({
        language: await getUserLanguage(trx, user.id),
        displayName: user.displayName,
        email: user.email,
        failures: failure.streak,
        firstAt: new Date(failure.streakStartedAt).toISOString(),
        lastAt: new Date(now).toISOString(),
        publicUrl: failure.publicUrl,
      });
      await enqueueMessage(trx, { opinionId: null, kind: 'sign_in_alert', recipient: user.email, ...mail });
      await recordAudit(trx, { actor: null, actorLabel: 'system', action: 'auth.owner_alerted', entityType: 'user', entityId: user.id, after: { failures: failure.streak } });
    }
  });
  return { ownerAlerted: alert };
}
