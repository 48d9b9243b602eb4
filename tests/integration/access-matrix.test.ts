// Every staff route × {anonymous, staff, moderator, admin}: anonymous is sent
// to sign-in, a role without access gets 403, a role with access gets 200.
// Add a row here for every new loader or action under /staff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../db/schema';
import { openDatabase } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

type Who = 'anonymous' | Role;
type Row = {
  method: 'GET' | 'POST';
  path: string;
  allowed: Role[];
  /** Form fields for POST rows; chosen so that an allowed role gets 200 without side effects on other rows. */
  body?: (ctx: { role: Role; staffUserId: number }) => Record<string, string>;
};

const ALL: Role[] = ['staff', 'moderator', 'admin'];
const ADMIN: Role[] = ['admin'];
const EDITORS: Role[] = ['moderator', 'admin'];

const ROUTES: Row[] = [
  // Section 2–4, 6: the inbox, one opinion, phone/post records, export, dashboard.
  { method: 'GET', path: '/staff', allowed: ALL },
  { method: 'GET', path: '/staff?q=%E9%A7%90%E8%BB%8A&status=new', allowed: ALL },
  { method: 'GET', path: '/staff/opinions/new', allowed: ALL },
  { method: 'GET', path: '/staff/opinions/1', allowed: ALL },
  { method: 'GET', path: '/staff/opinions/1/ack', allowed: ALL },
  { method: 'GET', path: '/staff/export.csv', allowed: ALL },
  { method: 'GET', path: '/staff/dashboard', allowed: ALL },
  // Issue 5: official replies and their templates.
  { method: 'GET', path: '/staff/opinions/1/reply', allowed: EDITORS },
  { method: 'GET', path: '/staff/templates', allowed: EDITORS },
  // Section 5 and the audit log: admin only.
  { method: 'GET', path: '/staff/users', allowed: ADMIN },
  { method: 'GET', path: '/staff/units', allowed: ADMIN },
  { method: 'GET', path: '/staff/audit', allowed: ADMIN },
  { method: 'GET', path: '/staff/audit?action=auth.login&page=2', allowed: ADMIN },
  {
    method: 'POST',
    path: '/staff/users',
    allowed: ADMIN,
    body: ({ staffUserId }) => ({ intent: 'role', userId: String(staffUserId), role: 'staff' }),
  },
  {
    method: 'POST',
    path: '/staff/units',
    allowed: ADMIN,
    body: ({ role }) => ({ intent: 'create', name: `行列テスト部署（${role}）`, email: '' }),
  },
];

const WHO: Who[] = ['anonymous', 'staff', 'moderator', 'admin'];

let server: TestServer;
const cookies = new Map<Role, string>();
let staffUserId = 0;

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ALL) {
    const user = await createTestUser(server.databasePath, role);
    if (role === 'staff') staffUserId = user.id;
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

describe.each(ROUTES)('$method $path', (row) => {
  it.each(WHO)('as %s', async (who) => {
    const headers: Record<string, string> = { Origin: server.url };
    if (who !== 'anonymous') headers.Cookie = cookies.get(who)!;
    let body: URLSearchParams | undefined;
    if (row.method === 'POST') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(row.body?.({ role: who === 'anonymous' ? 'staff' : who, staffUserId }) ?? {});
    }
    const res = await fetch(server.url + row.path, { method: row.method, headers, body, redirect: 'manual' });
    const detail = `${row.method} ${row.path} as ${who}: ${res.status} ${res.headers.get('location') ?? ''}`;
    if (who === 'anonymous') {
      expect([302, 303], detail).toContain(res.status);
      expect(res.headers.get('location'), detail).toMatch(/^\/staff\/login\?redirectTo=/);
    } else if (row.allowed.includes(who)) {
      expect(res.status, detail).toBe(200);
    } else {
      expect(res.status, detail).toBe(403);
      if (row.method === 'GET' && !row.path.endsWith('.csv')) {
        expect((await res.text()).replace(/<!-- -->/g, ''), detail).toContain('この操作を行う権限がありません');
      }
    }
    if (!res.bodyUsed) await res.body?.cancel();
  });
});
