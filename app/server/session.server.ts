// Staff sessions: a signed cookie carrying a random id; the server keeps the
// row (sessions table, id stored as a SHA-256 digest) so sign-out and
// deactivation end a session at once, and an idle session expires.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createCookie, redirect } from '@remix-run/node';
import type { Role } from '../../db/schema';
import { getDb } from './db.server';
import { getEnv } from '~/utils/env.server';
import { canAccess, type Access } from '~/domain/access';
import { CROSS_ORIGIN_MESSAGE, isCrossOriginWrite } from './same-origin.server';

export type StaffUser = { id: number; email: string; displayName: string; role: Role };

export const SESSION_COOKIE_NAME = '__ikenbako_staff';
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** last_seen_at is refreshed at most this often, to avoid a write per request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

let devSecret: string | undefined;

/** SESSION_SECRET, or in development a secret generated once and kept in data/session-secret. */
export function getSessionSecret(): string {
  const env = getEnv();
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  if (devSecret) return devSecret;
  const file = path.join(path.dirname(path.resolve(env.DATABASE_PATH)), 'session-secret');
  try {
    devSecret = fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fresh = randomBytes(32).toString('base64url');
    try {
      // 'wx' so two processes starting together keep the first one's secret.
      fs.writeFileSync(file, fresh + '\n', { mode: 0o600, flag: 'wx' });
      devSecret = fresh;
    } catch {
      devSecret = fs.readFileSync(file, 'utf8').trim();
    }
  }
  return devSecret!;
}

let cookie: ReturnType<typeof createCookie> | undefined;

function sessionCookie() {
  cookie ??= createCookie(SESSION_COOKIE_NAME, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: getEnv().PUBLIC_URL.startsWith('https://'),
    secrets: [getSessionSecret()],
  });
  return cookie;
}

function digest(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get('Cookie'));
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export async function getUser(request: Request): Promise<StaffUser | null> {
  const sessionId = await readSessionId(request);
  if (!sessionId) return null;
  const db = getDb();
  const key = digest(sessionId);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.active', 'sessions.last_seen_at'])
    .where('sessions.id', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const lastSeen = Date.parse(row.last_seen_at);
  if (!row.active || !(now - lastSeen < SESSION_IDLE_MS)) {
    await db.deleteFrom('sessions').where('id', '=', key).execute();
    return null;
  }
  if (now - lastSeen >= TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', key).execute();
  }
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role };
}

/** The same check as the Express middleware, for routes reached some other way. */
export function assertSameOrigin(request: Request): void {
  const own = [new URL(request.url).origin, new URL(getEnv().PUBLIC_URL).origin];
  if (isCrossOriginWrite(request.method, (name) => request.headers.get(name), own)) {
    throw new Response(CROSS_ORIGIN_MESSAGE, { status: 403 });
  }
}

export function loginPath(request: Request): string {
  const url = new URL(request.url);
  return `/staff/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
}

/** The signed-in staff member, or a redirect to sign-in / a 403. */
export async function requireUser(request: Request, access: Access = 'console'): Promise<StaffUser> {
  assertSameOrigin(request);
  const user = await getUser(request);
  if (!user) throw redirect(loginPath(request));
  if (!canAccess(user.role, access)) {
    throw new Response('この操作を行う権限がありません', { status: 403 });
  }
  return user;
}

/** Starts a fresh session (a new id every sign-in, against fixation) and redirects. */
export async function createUserSession(request: Request, userId: number, redirectTo: string): Promise<Response> {
  const db = getDb();
  const previous = await readSessionId(request);
  const sessionId = randomBytes(32).toString('base64url');
  const now = new Date().toISOString();
  await purgeExpiredSessions();
  await db.transaction().execute(async (trx) => {
    if (previous) await trx.deleteFrom('sessions').where('id', '=', digest(previous)).execute();
    await trx.insertInto('sessions').values({ id: digest(sessionId), user_id: userId, created_at: now, last_seen_at: now }).execute();
    await trx.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
  });
  return redirect(redirectTo, { headers: { 'Set-Cookie': await sessionCookie().serialize(sessionId) } });
}

export async function destroyUserSession(request: Request): Promise<Response> {
  const sessionId = await readSessionId(request);
  if (sessionId) await getDb().deleteFrom('sessions').where('id', '=', digest(sessionId)).execute();
  return redirect('/staff/login?signedOut=1', {
    headers: { 'Set-Cookie': await sessionCookie().serialize('', { maxAge: 0, expires: new Date(0) }) },
  });
}

/** Drops sessions idle past the timeout; called at sign-in so the table stays small. */
export async function purgeExpiredSessions(): Promise<void> {
  const cutoff = new Date(Date.now() - SESSION_IDLE_MS).toISOString();
  await getDb().deleteFrom('sessions').where('last_seen_at', '<', cutoff).execute();
}
