// Staff sessions: a signed cookie carrying a random id; the server keeps the
// row (sessions table, id stored as a SHA-256 digest) so sign-out and
// deactivation end a session at once. A session ends after 8 idle hours, and
// 12 hours after sign-in however busy it is.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createCookie, redirect } from '@remix-run/node';
import type { Role } from '../../db/schema';
import { deleteExpiredSessions, deleteSession, getSessionUser, startSession, touchSession } from '~/models/sessions.server';
import { getOrCreateSetting } from '~/models/settings.server';
import { getDb, type DB } from './db.server';
import { getEnv } from '~/utils/env.server';
import { canAccess, type Access } from '~/domain/access';
import { CROSS_ORIGIN_MESSAGE, isCrossOriginWrite } from './same-origin.server';

export type StaffUser = { id: number; email: string; displayName: string; role: Role };
/** A signed-in person and what their account still owes before the console opens. */
export type SignedInUser = StaffUser & { mustChangePassword: boolean; twoFactorEnabled: boolean };

/** Pages a person who must change the password or enrol may still reach. */
export const PASSWORD_CHANGE_PATH = '/staff/account/password';
export const ENROL_PATH = '/staff/account/2fa';
export const SECOND_FACTOR_PATH = '/staff/login/2fa';
const ALWAYS_OPEN = ['/staff/logout'];

/** Whether REQUIRE_2FA (admin | moderator | all | none) asks this role for a second factor. */
export function twoFactorRequired(role: Role, setting = getEnv().REQUIRE_2FA): boolean {
  if (setting === 'all') return true;
  if (setting === 'moderator') return role === 'moderator' || role === 'admin';
  if (setting === 'admin') return role === 'admin';
  return false;
}

const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is refreshed at most this often, to avoid a write per request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

let devSecret: string | undefined;
const SECRET_SETTING = 'session_secret';

/**
 * SESSION_SECRET, or else a secret generated once and kept where every process
 * finds it, so that sessions survive a restart and `npm start` needs no
 * setting: on SQLite in data/session-secret (owner-only) beside the database;
 * on PostgreSQL in the settings table, which every instance shares (see
 * prepareSessionSecret).
 */
export function getSessionSecret(): string {
  const env = getEnv();
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  if (devSecret) return devSecret;
  if (env.DATABASE_URL) throw new Error('getSessionSecret called before prepareSessionSecret (boot) read the stored secret');
  const file = path.join(path.dirname(path.resolve(env.DATABASE_PATH)), 'session-secret');
  try {
    devSecret = fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
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

/**
 * Makes the secret ready before the server listens. On PostgreSQL several
 * instances (on several machines) must sign cookies alike: the first to start
 * stores a fresh secret in the settings table, and every one reads that.
 */
export async function prepareSessionSecret(db: DB): Promise<void> {
  const env = getEnv();
  if (env.SESSION_SECRET || devSecret) return;
  if (env.DATABASE_URL) devSecret = await getOrCreateSetting(db, SECRET_SETTING, randomBytes(32).toString('base64url'));
  else getSessionSecret();
}

let cookie: ReturnType<typeof createCookie> | undefined;

/**
 * Over https the cookie is `__Host-` prefixed: browsers then accept it only
 * Secure, for this host alone (no Domain) and for Path=/, so a sibling
 * subdomain cannot plant or shadow it.
 */
export function sessionCookieName(): string {
  return getEnv().PUBLIC_URL.startsWith('https://') ? '__Host-ikenbako_staff' : '__ikenbako_staff';
}

function sessionCookie() {
  cookie ??= createCookie(sessionCookieName(), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: getEnv().PUBLIC_URL.startsWith('https://'),
    secrets: [getSessionSecret()],
  });
  return cookie;
}

/** The cut-offs (ISO) before which a session has ended: idle too long, or signed in too long ago. */
export function sessionCutoffs(now = Date.now()): { idleBefore: string; startedBefore: string } {
  return {
    idleBefore: new Date(now - SESSION_IDLE_MS).toISOString(),
    startedBefore: new Date(now - SESSION_MAX_MS).toISOString(),
  };
}

/** Deletes every ended session (housekeeping runs it on a timer). */
export async function purgeExpiredSessions(db: DB, now = Date.now()): Promise<number> {
  return deleteExpiredSessions(db, sessionCutoffs(now));
}

function digest(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get('Cookie'));
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The stored key (digest) of this request's session, to mark "this one" and keep it when ending the others. */
export async function currentSessionKey(request: Request): Promise<string | null> {
  const sessionId = await readSessionId(request);
  return sessionId ? digest(sessionId) : null;
}

/** A session whose password step passed and whose second factor is still owed, or null. */
export async function getPendingSignIn(request: Request): Promise<{ key: string; userId: number; factorFailures: number } | null> {
  const sessionId = await readSessionId(request);
  if (!sessionId) return null;
  const db = getDb();
  const key = digest(sessionId);
  const user = await getSessionUser(db, key);
  if (!user || !user.pendingSecondFactor) return null;
  // The password step is only worth a few minutes.
  if (!user.active || Date.now() - Date.parse(user.createdAt) > PENDING_MAX_MS) {
    await deleteSession(db, key);
    return null;
  }
  return { key, userId: user.id, factorFailures: user.factorFailures };
}

const PENDING_MAX_MS = 10 * 60 * 1000;

export async function getUser(request: Request): Promise<SignedInUser | null> {
  const sessionId = await readSessionId(request);
  if (!sessionId) return null;
  const db = getDb();
  const key = digest(sessionId);
  const user = await getSessionUser(db, key);
  if (!user || user.pendingSecondFactor) return null;
  const now = Date.now();
  const lastSeen = Date.parse(user.lastSeenAt);
  const started = Date.parse(user.createdAt);
  if (!user.active || !(now - lastSeen < SESSION_IDLE_MS) || !(now - started < SESSION_MAX_MS)) {
    await deleteSession(db, key);
    return null;
  }
  if (now - lastSeen >= TOUCH_INTERVAL_MS) await touchSession(db, key, new Date(now).toISOString());
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
    twoFactorEnabled: user.twoFactorEnabled,
  };
}

/** The same check as the Express middleware, for routes reached some other way. */
export function assertSameOrigin(request: Request): void {
  const own = [new URL(request.url).origin, new URL(getEnv().PUBLIC_URL).origin];
  if (isCrossOriginWrite(request.method, (name) => request.headers.get(name), own)) {
    throw new Response(CROSS_ORIGIN_MESSAGE, { status: 403 });
  }
}

/** Only back into the staff console, never to another site ("//evil", "/staff.evil.example"). */
export function safeRedirect(value: unknown): string {
  if (typeof value !== 'string') return '/staff';
  if (!/^\/staff(?:[/?#]|$)/.test(value) || value.startsWith('/staff/login') || value.includes('\\')) return '/staff';
  return value;
}

function loginPath(request: Request): string {
  const url = new URL(request.url);
  return `/staff/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
}

/**
 * The signed-in staff member, or a redirect to sign-in / a 403. A person who
 * must change the password, or must enrol a second factor (REQUIRE_2FA), is
 * sent there from every other page.
 */
export async function requireUser(request: Request, access: Access = 'console'): Promise<SignedInUser> {
  assertSameOrigin(request);
  const user = await getUser(request);
  if (!user) throw redirect(loginPath(request));
  const pathname = new URL(request.url).pathname.replace(/\/+$/, '');
  if (!ALWAYS_OPEN.includes(pathname)) {
    if (user.mustChangePassword) {
      if (pathname !== PASSWORD_CHANGE_PATH) throw redirect(PASSWORD_CHANGE_PATH);
    } else if (!user.twoFactorEnabled && twoFactorRequired(user.role)) {
      if (pathname !== ENROL_PATH) throw redirect(ENROL_PATH);
    }
  }
  if (!canAccess(user.role, access)) {
    throw new Response('この操作を行う権限がありません', { status: 403 });
  }
  return user;
}

/**
 * Starts a fresh session (a new id every sign-in, against fixation) and
 * redirects. With `pendingSecondFactor` the session opens nothing until
 * the code is given at /staff/login/2fa.
 */
export async function createUserSession(
  request: Request,
  userId: number,
  redirectTo: string,
  extraCookies: string[] = [],
  options: { pendingSecondFactor?: boolean } = {},
): Promise<Response> {
  const db = getDb();
  const previous = await readSessionId(request);
  const sessionId = randomBytes(32).toString('base64url');
  const now = Date.now();
  await startSession(db, {
    key: digest(sessionId),
    replaces: previous ? digest(previous) : null,
    userId,
    at: new Date(now).toISOString(),
    userAgent: (request.headers.get('User-Agent') ?? '').slice(0, 300) || null,
    pendingSecondFactor: options.pendingSecondFactor ?? false,
  });
  const headers = new Headers();
  headers.append('Set-Cookie', await sessionCookie().serialize(sessionId));
  for (const extra of extraCookies) headers.append('Set-Cookie', extra);
  return redirect(redirectTo, { headers });
}

export async function destroyUserSession(request: Request): Promise<Response> {
  const sessionId = await readSessionId(request);
  if (sessionId) await deleteSession(getDb(), digest(sessionId));
  return redirect('/staff/login?signedOut=1', {
    headers: { 'Set-Cookie': await sessionCookie().serialize('', { maxAge: 0, expires: new Date(0) }) },
  });
}
