// Every staff route file × {anonymous, staff, moderator, admin}: anonymous is
// sent to sign-in, a role without access gets 403, a role with access gets
// through (200, or 400 for an action given an empty form, so no row changes
// what another row sees). Who has access comes from ~/domain/access, and the
// route files are read from app/routes, so a new staff route without a map
// entry or a row here fails.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../db/schema';
import { ACCESS, STAFF_ROUTE_ACCESS, type Access } from '~/domain/access';
import { openDatabase } from '~/server/db.server';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

type Who = 'anonymous' | Role;
type StaffRoute = keyof typeof STAFF_ROUTE_ACCESS;
type Row = {
  /** The route module under app/routes that answers (its file name without the extension). */
  route: StaffRoute;
  method: 'GET' | 'POST';
  path: string;
  /** Form fields for POST rows; chosen so that an allowed role gets its answer without side effects on other rows. */
  body?: (ctx: { role: Role; staffUserId: number }) => Record<string, string>;
  /** What a role with access gets, when not 200. */
  allowedStatus?: number;
  /** Routes that answer someone other than by the rule above, and why. */
  except?: Partial<Record<Who, number>>;
  /** The request ends the session: sign in afresh for it. */
  endsSession?: boolean;
};

const ROLES: Role[] = ['staff', 'moderator', 'admin'];
const ROUTES_DIR = path.resolve(__dirname, '../../app/routes');
const ROUTE_FILES = fs.readdirSync(ROUTES_DIR).filter((f) => /^staff.*\.[jt]sx?$/.test(f));
const routeName = (file: string) => file.replace(/\.[jt]sx?$/, '');

const ROUTES: Row[] = [
  // Section 2–4, 6: the console layout, the inbox, one opinion, phone/post records, export, dashboard.
  { route: 'staff', method: 'GET', path: '/staff' },
  { route: 'staff._index', method: 'GET', path: '/staff?q=%E9%A7%90%E8%BB%8A&status=new' },
  { route: 'staff.opinions.new', method: 'GET', path: '/staff/opinions/new' },
  { route: 'staff.opinions.new', method: 'POST', path: '/staff/opinions/new', allowedStatus: 400 },
  { route: 'staff.opinions.$id', method: 'GET', path: '/staff/opinions/1' },
  { route: 'staff.opinions.$id', method: 'POST', path: '/staff/opinions/1', allowedStatus: 400 },
  { route: 'staff.opinions.$id_.ack', method: 'GET', path: '/staff/opinions/1/ack' },
  // Issue 17: attachments (opinion 1 has none: its file is not found; an empty form is refused).
  { route: 'staff.opinions.$id_.attachments', method: 'GET', path: '/staff/opinions/1/attachments' },
    { route: 'staff.opinions.$id_.attachments', method: 'POST', path: '/staff/opinions/1/attachments', allowedStatus: 400 },
  { route: 'staff.attachments.$id', method: 'GET', path: '/staff/attachments/1', allowedStatus: 404 },
  { route: 'staff.export[.]csv', method: 'GET', path: '/staff/export.csv' },
  { route: 'staff.dashboard', method: 'GET', path: '/staff/dashboard' },
  // Issue 16: mail nobody could match, and auto-replies, for everyone who handles opinions.
  { route: 'staff.inbound', method: 'GET', path: '/staff/inbound?kind=message&page=2' },
  // Issue 5: official replies and their templates.
  { route: 'staff.opinions.$id_.reply', method: 'GET', path: '/staff/opinions/1/reply' },
  { route: 'staff.opinions.$id_.reply', method: 'POST', path: '/staff/opinions/1/reply', allowedStatus: 400 },
  { route: 'staff.templates', method: 'GET', path: '/staff/templates' },
  { route: 'staff.templates', method: 'POST', path: '/staff/templates', allowedStatus: 400 },
  // Section 5 and the audit log: admin only.
  { route: 'staff.users', method: 'GET', path: '/staff/users' },
  { route: 'staff.units', method: 'GET', path: '/staff/units' },
  // Issue 13: one account's sessions (user 1 is the first admin, made at boot); a session that is not there ends nothing.
  { route: 'staff.users_.$id', method: 'GET', path: '/staff/users/1' },
  { route: 'staff.users_.$id', method: 'POST', path: '/staff/users/1', body: () => ({ intent: 'end', session: 'no-such-session' }), allowedStatus: 302 },
  { route: 'staff.audit', method: 'GET', path: '/staff/audit' },
  { route: 'staff.audit', method: 'GET', path: '/staff/audit?action=auth.login&page=2' },
  {
    route: 'staff.users',
    method: 'POST',
    path: '/staff/users',
    body: ({ staffUserId }) => ({ intent: 'role', userId: String(staffUserId), role: 'staff' }),
  },
  {
    route: 'staff.units',
    method: 'POST',
    path: '/staff/units',
    body: ({ role }) => ({ intent: 'create', name: `行列テスト部署（${role}）`, email: '' }),
  },
  // Issue 15: notices from the console (moderators and admins); the comment period, admins only.
  { route: 'staff.notices._index', method: 'GET', path: '/staff/notices' },
  { route: 'staff.notices.new', method: 'GET', path: '/staff/notices/new' },
  { route: 'staff.notices.new', method: 'POST', path: '/staff/notices/new', allowedStatus: 400 },
  { route: 'staff.notices.$id', method: 'GET', path: '/staff/notices/1' },
  { route: 'staff.notices.$id', method: 'POST', path: '/staff/notices/1', allowedStatus: 400 },
  { route: 'staff.notices.$id_.revise', method: 'GET', path: '/staff/notices/1/revise' },
  { route: 'staff.notices.$id_.revise', method: 'POST', path: '/staff/notices/1/revise', allowedStatus: 400 },
  { route: 'staff.notices.$id_.period', method: 'GET', path: '/staff/notices/1/period' },
  { route: 'staff.notices.$id_.period', method: 'POST', path: '/staff/notices/1/period', allowedStatus: 400 },
  // Issue 16: tokens for the intake API, admin only.
  { route: 'staff.api-tokens', method: 'GET', path: '/staff/api-tokens' },
  {
    route: 'staff.api-tokens',
    method: 'POST',
    path: '/staff/api-tokens',
    body: ({ role }) => ({ intent: 'create', name: `行列テスト(${role})`, scope: 'read', rateLimitPerMinute: '60' }),
  },
  // Issue 11: a person's data requests, admin only.
  { route: 'staff.privacy', method: 'GET', path: '/staff/privacy' },
  { route: 'staff.privacy', method: 'POST', path: '/staff/privacy', body: () => ({ intent: 'search', query: 'matrix@example.jp' }) },
  { route: 'staff.privacy.export[.]json', method: 'GET', path: '/staff/privacy/export.json', allowedStatus: 303 },
  { route: 'staff.privacy.export[.]json', method: 'POST', path: '/staff/privacy/export.json', body: () => ({ query: 'matrix@example.jp' }) },
  // Issue 13: one's own account, for every role (empty forms are refused with 400).
  { route: 'staff.account', method: 'GET', path: '/staff/account' },
  { route: 'staff.account._index', method: 'GET', path: '/staff/account' },
  { route: 'staff.account._index', method: 'POST', path: '/staff/account?index', allowedStatus: 400 },
  { route: 'staff.account.password', method: 'GET', path: '/staff/account/password' },
  { route: 'staff.account.password', method: 'POST', path: '/staff/account/password', allowedStatus: 400 },
  { route: 'staff.account.2fa', method: 'GET', path: '/staff/account/2fa' },
  { route: 'staff.account.2fa', method: 'POST', path: '/staff/account/2fa', allowedStatus: 400 },
  { route: 'staff.account.sessions', method: 'GET', path: '/staff/account/sessions' },
  { route: 'staff.account.sessions', method: 'POST', path: '/staff/account/sessions', allowedStatus: 400 },
  // The second sign-in step answers only a session that owes a code; everyone else is sent to sign in.
  { route: 'staff_.login_.2fa', method: 'GET', path: '/staff/login/2fa', allowedStatus: 302, except: { anonymous: 302 } },
  { route: 'staff_.login_.2fa', method: 'POST', path: '/staff/login/2fa', allowedStatus: 302, except: { anonymous: 302 } },
  // Signing in and out: the sign-in page is for everyone (a signed-in visitor is
  // sent on to the console); signing out is a POST anyone may make, a GET nobody.
  { route: 'staff_.login', method: 'GET', path: '/staff/login', except: { staff: 302, moderator: 302, admin: 302 } },
  { route: 'staff_.login', method: 'POST', path: '/staff/login', allowedStatus: 400, except: { staff: 302, moderator: 302, admin: 302 } },
  { route: 'staff.logout', method: 'GET', path: '/staff/logout', allowedStatus: 405, except: { anonymous: 405 } },
  { route: 'staff.logout', method: 'POST', path: '/staff/logout', allowedStatus: 302, except: { anonymous: 302 }, endsSession: true },
];

/**
 * The access the map gives a route for a method. A map entry may one day be
 * split by method ({ loader, action }) when a page is wider than its action.
 */
function accessOf(route: StaffRoute, method: Row['method']): Access | 'public' {
  const entry: Access | 'public' | { loader: Access | 'public'; action: Access | 'public' } = STAFF_ROUTE_ACCESS[route];
  return typeof entry === 'string' ? entry : entry[method === 'GET' ? 'loader' : 'action'];
}

function allowedRoles(row: Row): readonly Role[] {
  const access = accessOf(row.route, row.method);
  return access === 'public' ? ROLES : ACCESS[access];
}

const WHO: Who[] = ['anonymous', 'staff', 'moderator', 'admin'];

let server: TestServer;
const cookies = new Map<Role, string>();
const users = new Map<Role, { email: string; password: string }>();
let staffUserId = 0;

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLES) {
    const user = await createTestUser(server.databasePath, role);
    if (role === 'staff') staffUserId = user.id;
    users.set(role, user);
    cookies.set(role, await signIn(server.url, user.email, user.password));
  }
  // Opinion 1, so that the opinion routes have something to show.
  const { db } = openDatabase(server.databasePath);
  try {
    const now = new Date().toISOString();
    await db
      .insertInto('opinions')
      .values({
        id: 1,
        tracking_number: 'IKB-MATRIX-0001',
        receipt_token: 'matrix-receipt-token-0001',
        report_id: 1,
        section_number: 1,
        item_number: 1,
        body: '駐車場の整備についての意見です。',
        name: '行列 太郎',
        email: null,
        phone: null,
        channel: 'phone',
        received_at: now,
        due_at: new Date(Date.now() + 21 * 86_400_000).toISOString(),
        client_hash: null,
        user_agent: null,
        form_token: null,
        recorded_by_id: null,
        duplicate_of_id: null,
        unit_id: null,
        assignee_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } finally {
    await db.destroy();
  }
});
afterAll(async () => {
  await server?.stop();
});

describe('the matrix covers every staff route', () => {
  const sources = new Map(ROUTE_FILES.map((f) => [routeName(f), fs.readFileSync(path.join(ROUTES_DIR, f), 'utf8')]));

  it('finds the staff route files', () => {
    expect(ROUTE_FILES.length).toBeGreaterThan(10);
  });

  it('has an access entry in STAFF_ROUTE_ACCESS for each file, and none for a file that is gone', () => {
    const mapped = Object.keys(STAFF_ROUTE_ACCESS);
    expect([...sources.keys()].filter((name) => !mapped.includes(name)), 'route files missing from STAFF_ROUTE_ACCESS').toEqual([]);
    expect(mapped.filter((name) => !sources.has(name)), 'STAFF_ROUTE_ACCESS entries without a route file').toEqual([]);
  });

  it('has a GET row for each loader and a POST row for each action', () => {
    const missing: string[] = [];
    for (const [name, source] of sources) {
      const rows = ROUTES.filter((r) => r.route === name);
      if (/export\s+(async\s+)?(function|const)\s+loader\b/.test(source) && !rows.some((r) => r.method === 'GET')) missing.push(`GET ${name}`);
      if (/export\s+(async\s+)?(function|const)\s+action\b/.test(source) && !rows.some((r) => r.method === 'POST')) missing.push(`POST ${name}`);
      if (rows.length === 0) missing.push(`any row for ${name}`);
    }
    expect(missing, 'add these rows to ROUTES').toEqual([]);
  });
});

describe.each(ROUTES)('$method $path ($route)', (row) => {
  it.each(WHO)('as %s', async (who) => {
    let cookie: string | undefined;
    if (who !== 'anonymous') {
      const user = users.get(who)!;
      cookie = row.endsSession ? await signIn(server.url, user.email, user.password) : cookies.get(who)!;
    }
    const url = server.url + row.path;
    const res =
      row.method === 'POST'
        ? await postForm(url, row.body?.({ role: who === 'anonymous' ? 'staff' : who, staffUserId }) ?? {}, { cookie })
        : await fetch(url, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
    const detail = `${row.method} ${row.path} as ${who}: ${res.status} ${res.headers.get('location') ?? ''}`;
    const access = accessOf(row.route, row.method);
    const expected = row.except?.[who];
    if (expected !== undefined) {
      expect(res.status, detail).toBe(expected);
    } else if (who === 'anonymous' && access !== 'public') {
      expect([302, 303], detail).toContain(res.status);
      expect(res.headers.get('location'), detail).toMatch(/^\/staff\/login\?redirectTo=/);
    } else if (who === 'anonymous' || allowedRoles(row).includes(who)) {
      expect(res.status, detail).toBe(row.allowedStatus ?? 200);
    } else {
      expect(res.status, detail).toBe(403);
      if (row.method === 'GET' && !row.path.endsWith('.csv')) {
        expect((await res.text()).replace(/<!-- -->/g, ''), detail).toContain('この操作を行う権限がありません');
      }
    }
    if (!res.bodyUsed) await res.body?.cancel();
  });
});
