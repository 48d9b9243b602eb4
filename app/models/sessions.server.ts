// Staff sessions as rows. The key is a digest of the cookie's random id (made
// in server/session.server); these functions never see the id itself.
import type { Role } from '../../db/schema';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { describeAgent, type AgentWords } from '~/utils/user-agent';
import { recordAudit } from './audit.server';

type SessionUser = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  /** When the person signed in (ISO). */
  createdAt: string;
  /** When the session was last used (ISO), refreshed at most once a minute. */
  lastSeenAt: string;
  /** The password was right but the second factor is still owed. */
  pendingSecondFactor: boolean;
  factorFailures: number;
  mustChangePassword: boolean;
  twoFactorEnabled: boolean;
};

/** The person a session belongs to, or null for an unknown key. */
export async function getSessionUser(db: DB, key: string): Promise<SessionUser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.role',
      'users.active',
      'users.must_change_password',
      'users.totp_enabled_at',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.pending',
      'sessions.factor_failures',
    ])
    .where('sessions.id', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    active: row.active === 1,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    pendingSecondFactor: row.pending === 'second_factor',
    factorFailures: row.factor_failures,
    mustChangePassword: row.must_change_password === 1,
    twoFactorEnabled: row.totp_enabled_at !== null,
  };
}

/**
 * Starts a session: the one it `replaces` (the cookie presented at sign-in)
 * ends, and the user's last sign-in is stamped, in one transaction.
 */
export async function startSession(
  db: DB,
  session: { key: string; replaces: string | null; userId: number; at: string; userAgent?: string | null; pendingSecondFactor?: boolean },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (session.replaces) await deleteSession(trx, session.replaces);
    await trx
      .insertInto('sessions')
      .values({
        id: session.key,
        user_id: session.userId,
        created_at: session.at,
        last_seen_at: session.at,
        user_agent: session.userAgent ?? null,
        pending: session.pendingSecondFactor ? 'second_factor' : null,
      })
      .execute();
    if (session.pendingSecondFactor) return;
    await trx.updateTable('users').set({ last_login_at: session.at }).where('id', '=', session.userId).execute();
  });
}

export async function touchSession(db: DB, key: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', key).execute();
}

export async function deleteSession(db: DB, key: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', key).execute();
}

/** Ends every session of one person (deactivation, a new password), or all but `except`; returns how many. */
export async function deleteUserSessions(db: DB, userId: number, except?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (except) query = query.where('id', '!=', except);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The second factor was given: the session is complete and the sign-in stamped. */
export async function completeSecondFactor(db: DB, key: string, userId: number, at: string): Promise<void> {
  await db.updateTable('sessions').set({ pending: null, factor_failures: 0 }).where('id', '=', key).execute();
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', userId).execute();
}

/** Counts a wrong second factor on a pending session; returns the session's failures so far. */
export async function countFactorFailure(db: DB, key: string): Promise<number> {
  const row = await db
    .updateTable('sessions')
    .set((eb) => ({ factor_failures: eb('factor_failures', '+', 1) }))
    .where('id', '=', key)
    .returning('factor_failures')
    .executeTakeFirst();
  return row?.factor_failures ?? 0;
}

export type SessionView = {
  /** The digest: safe to put in a form, useless as a cookie. */
  key: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  pendingSecondFactor: boolean;
};

/** A person's sessions, newest first. */
export async function listUserSessions(db: DB, userId: number): Promise<SessionView[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'user_agent', 'pending'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    key: r.id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    userAgent: r.user_agent,
    pendingSecondFactor: r.pending !== null,
  }));
}

/**
 * A person's sessions as the sessions tables show them (SessionTable), newest
 * first: numbered, the browser in words, the asking browser's marked. The
 * digest is the row's id, for the end form.
 */
export async function listSessionRows(db: DB, userId: number, currentKey: string | null, words: AgentWords) {
  const sessions = await listUserSessions(db, userId);
  return sessions.map((s, i) => ({
    id: s.key,
    no: i + 1,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    agent: describeAgent(s.userAgent, words),
    current: s.key === currentKey,
    pending: s.pendingSecondFactor,
  }));
}

/** Ends one session of the given user; false when it was not theirs or already gone. */
export async function deleteUserSession(db: DB, userId: number, key: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id', '=', key).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Drops sessions last used before `idleBefore` or started before `startedBefore` (ISO); returns how many. */
export async function deleteExpiredSessions(db: DB, cutoffs: { idleBefore: string; startedBefore: string }): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', cutoffs.idleBefore), eb('created_at', '<', cutoffs.startedBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Ends sessions of `userId` on purpose (the person themself, or an admin):
 * one (`key`), all but `keep`, or all; audited. Returns how many ended.
 */
export async function endSessions(db: DB, actor: StaffUser, userId: number, which: { key?: string; keep?: string }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let ended: number;
    if (which.key) ended = (await deleteUserSession(trx, userId, which.key)) ? 1 : 0;
    else ended = await deleteUserSessions(trx, userId, which.keep);
    if (ended > 0) {
      await recordAudit(trx, {
        actor,
        action: 'auth.session_end',
        entityType: 'user',
        entityId: userId,
        after: { ended, scope: which.key ? 'one' : which.keep ? 'others' : 'all' },
      });
    }
    return ended;
  });
}

/** Live sessions per user id (complete ones only), for the users page. */
export async function countSessionsByUser(db: DB): Promise<Map<number, { count: number; lastSeenAt: string }>> {
  const rows = await db
    .selectFrom('sessions')
    .select((eb) => ['user_id', eb.fn.countAll<number>().as('n'), eb.fn.max('last_seen_at').as('last_seen_at')])
    .where('pending', 'is', null)
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, { count: Number(r.n), lastSeenAt: String(r.last_seen_at) }]));
}
