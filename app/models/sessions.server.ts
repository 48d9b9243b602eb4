// Staff sessions as rows. The key is a digest of the cookie's random id (made
// in server/session.server); these functions never see the id itself.
import type { Role } from '../../db/schema';
import type { DB } from '~/server/db.server';

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
};

/** The person a session belongs to, or null for an unknown key. */
export async function getSessionUser(db: DB, key: string): Promise<SessionUser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.active', 'sessions.created_at', 'sessions.last_seen_at'])
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
  };
}

/**
 * Starts a session: the one it `replaces` (the cookie presented at sign-in)
 * ends, and the user's last sign-in is stamped, in one transaction.
 */
export async function startSession(
  db: DB,
  session: { key: string; replaces: string | null; userId: number; at: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (session.replaces) await deleteSession(trx, session.replaces);
    await trx
      .insertInto('sessions')
      .values({ id: session.key, user_id: session.userId, created_at: session.at, last_seen_at: session.at })
      .execute();
    await trx.updateTable('users').set({ last_login_at: session.at }).where('id', '=', session.userId).execute();
  });
}

export async function touchSession(db: DB, key: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', key).execute();
}

export async function deleteSession(db: DB, key: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', key).execute();
}

/** Ends every session of one person (deactivation, a new password). */
export async function deleteUserSessions(db: DB, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Drops sessions last used before `idleBefore` or started before `startedBefore` (ISO); returns how many. */
export async function deleteExpiredSessions(db: DB, cutoffs: { idleBefore: string; startedBefore: string }): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', cutoffs.idleBefore), eb('created_at', '<', cutoffs.startedBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
