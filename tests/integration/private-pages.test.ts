// Nothing private lingers in a browser's or a proxy's cache: every response
// under /staff — pages, data requests, redirects, errors, the CSV, sign-in and
// sign-out — says Cache-Control: no-store. The walk covers every staff route
// module listed in STAFF_ROUTE_ACCESS (a new one fails here until it is added).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ROUTE_ACCESS } from '~/domain/access';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

const SLUG = 'xiuzhou-inspection-2023';
let server: TestServer;
let admin: TestUser;
let staff: TestUser;
const cookies: Record<string, string> = {};

type Visit = { method: 'GET' | 'POST'; path: string; body?: Record<string, string> };

/** Each staff route module and the requests that reach it. */
const WALK: Record<keyof typeof STAFF_ROUTE_ACCESS, Visit[]> = {
  staff: [{ method: 'GET', path: '/staff.data' }],
  'staff._index': [{ method: 'GET', path: '/staff' }, { method: 'GET', path: '/staff?status=new&q=%E9%A7%90' }],
  'staff.opinions.new': [{ method: 'GET', path: '/staff/opinions/new' }, { method: 'POST', path: '/staff/opinions/new', body: { channel: 'phone' } }],
  'staff.opinions.$id': [{ method: 'GET', path: '/staff/opinions/1' }, { method: 'GET', path: '/staff/opinions/999999' }],
  'staff.opinions.$id_.ack': [{ method: 'GET', path: '/staff/opinions/1/ack' }],
  'staff.opinions.$id_.reply': [{ method: 'GET', path: '/staff/opinions/1/reply' }],
  'staff.opinions.$id_.attachments': [{ method: 'POST', path: '/staff/opinions/1/attachments', body: {} }],
  'staff.attachments.$id': [{ method: 'GET', path: '/staff/attachments/1' }, { method: 'GET', path: '/staff/attachments/1?thumbnail=1' }],
  'staff.export[.]csv': [{ method: 'GET', path: '/staff/export.csv' }],
  'staff.dashboard': [{ method: 'GET', path: '/staff/dashboard' }, { method: 'GET', path: '/staff/dashboard.data' }],
  'staff.templates': [{ method: 'GET', path: '/staff/templates' }],
  'staff.audit': [{ method: 'GET', path: '/staff/audit' }],
  'staff.units': [{ method: 'GET', path: '/staff/units' }, { method: 'POST', path: '/staff/units', body: { intent: 'create', name: '' } }],
  'staff.users': [{ method: 'GET', path: '/staff/users' }],
  'staff.users_.$id': [{ method: 'GET', path: '/staff/users/1' }, { method: 'POST', path: '/staff/users/1', body: { intent: 'end', session: 'no-such-session' } }],
  'staff.inbound': [{ method: 'GET', path: '/staff/inbound' }, { method: 'GET', path: '/staff/inbound?kind=auto_reply' }],
  'staff.api-tokens': [{ method: 'GET', path: '/staff/api-tokens' }],
  'staff.notices._index': [{ method: 'GET', path: '/staff/notices' }],
  'staff.notices.new': [{ method: 'GET', path: '/staff/notices/new' }],
  'staff.notices.$id': [{ method: 'GET', path: '/staff/notices/1' }],
  'staff.notices.$id_.revise': [{ method: 'GET', path: '/staff/notices/1/revise' }],
  'staff.notices.$id_.period': [{ method: 'GET', path: '/staff/notices/1/period' }],
  'staff.privacy': [{ method: 'GET', path: '/staff/privacy' }, { method: 'POST', path: '/staff/privacy', body: { intent: 'search', query: 'matrix@example.jp' } }],
  'staff.privacy.export[.]json': [{ method: 'POST', path: '/staff/privacy/export.json', body: { query: 'matrix@example.jp' } }],
  'staff.logout': [{ method: 'GET', path: '/staff/logout' }],
  'staff.account': [{ method: 'GET', path: '/staff/account.data' }],
  'staff.account._index': [{ method: 'GET', path: '/staff/account' }],
  'staff.account.password': [{ method: 'GET', path: '/staff/account/password' }, { method: 'POST', path: '/staff/account/password', body: {} }],
  'staff.account.2fa': [{ method: 'GET', path: '/staff/account/2fa' }],
  'staff.account.sessions': [{ method: 'GET', path: '/staff/account/sessions' }],
  'staff_.login_.2fa': [{ method: 'GET', path: '/staff/login/2fa' }],
  'staff_.login': [
    { method: 'GET', path: '/staff/login' },
    { method: 'GET', path: '/staff/login.data' },
    { method: 'POST', path: '/staff/login', body: { email: 'nobody@example.jp', password: 'wrong-password-here' } },
  ],
};

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin');
  staff = await createTestUser(server.databasePath, 'staff');
  cookies.admin = await signIn(server.url, admin.email, admin.password);
  cookies.staff = await signIn(server.url, staff.email, staff.password);
  // Opinion 1, for the opinion pages.
  const res = await fetch(`${server.url}/reports/${SLUG}/opinions`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
    body: new URLSearchParams({ section: '1', item: '', body: '職員画面の保存禁止を確かめる意見です。', consent: 'on' }),
  });
  expect(res.status).toBe(303);
});
afterAll(async () => {
  await server?.stop();
});

async function visit(v: Visit, cookie?: string) {
  const headers: Record<string, string> = { Origin: server.url };
  if (cookie) headers.Cookie = cookie;
  if (v.body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(server.url + v.path, { method: v.method, headers, body: v.body ? new URLSearchParams(v.body) : undefined, redirect: 'manual' });
  await res.arrayBuffer();
  return res;
}

describe('Cache-Control: no-store', () => {
  it('walks every staff route module', () => {
    expect(Object.keys(WALK).sort()).toEqual(Object.keys(STAFF_ROUTE_ACCESS).sort());
  });

  it.each(Object.entries(WALK))('%s, as anonymous, staff and admin', async (_route, visits) => {
    for (const v of visits) {
      for (const who of ['anonymous', 'staff', 'admin'] as const) {
        const res = await visit(v, who === 'anonymous' ? undefined : cookies[who]);
        const detail = `${v.method} ${v.path} as ${who}: ${res.status}`;
        expect(res.status, detail).toBeLessThan(500);
        expect(res.headers.get('cache-control'), detail).toBe('no-store');
      }
    }
  });

  it('also on sign-in success, sign-out, a 404 under /staff and a cross-origin refusal', async () => {
    const user = await createTestUser(server.databasePath, 'staff');
    const signedIn = await visit({ method: 'POST', path: '/staff/login', body: { email: user.email, password: user.password } });
    expect(signedIn.status).toBe(302);
    const cookie = signedIn.headers.getSetCookie()[0].split(';')[0];
    const answers = [
      signedIn,
      await visit({ method: 'POST', path: '/staff/logout' }, cookie),
      await visit({ method: 'GET', path: '/staff/no-such-page' }, cookies.admin),
      await fetch(`${server.url}/staff/units`, { method: 'POST', headers: { Origin: 'https://evil.example', Cookie: cookies.admin }, redirect: 'manual' }),
    ];
    expect(answers.map((r) => r.status)).toEqual([302, 302, 404, 403]);
    for (const res of answers) expect(res.headers.get('cache-control'), String(res.status)).toBe('no-store');
  });

  it('not on the public report page, which browsers may revalidate', async () => {
    const res = await fetch(`${server.url}/reports/${SLUG}`);
    expect(res.headers.get('cache-control')).not.toContain('no-store');
  });
});
