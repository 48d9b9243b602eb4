// Staff accounts and signed-in cookies for tests that need the staff console.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Role } from '../../db/schema';
import { createUser } from '~/models/users.server';
import { isPostgresUrl, openDatabase } from '~/server/db.server';
import { generatePassword } from '~/utils/password.server';
import { postForm } from './http';

export type TestUser = { id: number; email: string; password: string; displayName: string; role: Role };

/** Creates an account directly in the database file a test server uses. */
export async function createTestUser(
  dbFile: string,
  role: Role,
  overrides: { email?: string; displayName?: string; password?: string; active?: boolean } = {},
): Promise<TestUser> {
  const { db } = openDatabase(dbFile);
  try {
    const email = overrides.email ?? `${role}-${randomBytes(4).toString('hex')}@example.jp`;
    const password = overrides.password ?? generatePassword();
    const displayName = overrides.displayName ?? `テスト${role}`;
    const user = await createUser(db, { email, displayName, role, password });
    if (overrides.active === false) await db.updateTable('users').set({ active: 0 }).where('id', '=', user.id).execute();
    return { id: user.id, email: user.email, password, displayName, role };
  } finally {
    await db.destroy();
  }
}

/** Posts the sign-in form as a browser would and returns the Cookie header value ("name=value"). */
export async function signIn(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await postForm(`${baseUrl}/staff/login`, { email, password, redirectTo: '/staff' }, { headers });
  // __Host-ikenbako_staff when PUBLIC_URL is https.
  const cookie = res.headers.getSetCookie().find((c) => /^(__ikenbako_staff|__Host-ikenbako_staff)=/.test(c));
  if (res.status !== 302 || !cookie) {
    throw new Error(`sign-in as ${email} failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  return cookie.split(';')[0];
}

/**
 * The file the first start writes the generated admin password to: beside
 * DATABASE_PATH, which on the PostgreSQL run is still the server's own
 * directory (where its mail directory is too).
 */
export function initialAdminPasswordFile(server: { dataDir: string }): string {
  return path.join(server.dataDir, 'initial-admin-password');
}

/** The environment that points a script (npm run …) at a test server's database. */
export function databaseEnv(databasePath: string): Record<string, string> {
  return isPostgresUrl(databasePath) ? { DATABASE_URL: databasePath } : { DATABASE_PATH: databasePath };
}
