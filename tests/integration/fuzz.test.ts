// Hostile input against every public and staff endpoint: thousands of
// generated bad requests from a seeded PRNG (FUZZ_SEED reproduces a run).
// No answer may be a 5xx, nothing may be stored from a rejected request, and
// the server must be healthy afterwards.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const SLUG = 'xiuzhou-inspection-2023';
const SEED = Number(process.env.FUZZ_SEED ?? 20231103);
const TOTAL = 2400;
const CONCURRENCY = 8;

function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof createRandom>;

// --- Hostile values ---------------------------------------------------------------

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'abc\u0000def',
  '\u0001\u0002\u001b[31m\u007f',
  '\u202eevil\u202c',
  '\ufeff',
  "' OR 1=1 --",
  '"; drop table opinions; --',
  '1; select * from users',
  '\r\nSet-Cookie: x=1',
  'a\r\nBcc: victim@example.com',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '%2e%2e%2f%2e%2e%2f',
  '....//....//',
  '{{7*7}}${7*7}',
  '__proto__',
  '😀'.repeat(50),
  'が'.normalize('NFD').repeat(20),
  'あ'.repeat(5000),
  'x'.repeat(10_000),
  '=cmd|" /C calc"!A0',
];
const NASTY_NUMBERS = ['1e309', '99999999999999999999', '-1', '0x10', 'NaN', 'Infinity', '1.5', ' 1', '１', '٣', '0', '13', '14', '999', '1e2', '00001'];
const SLUG_MUTATIONS = [
  '..%2f..%2fetc%2fpasswd',
  '..%2F..%2Fpackage.json',
  '%00',
  'xiuzhou-inspection-2023%00',
  'XIUZHOU-INSPECTION-2023',
  '%2e%2e',
  'a'.repeat(300),
  '%E3%81%82',
  '%FF%FE',
  "'%20OR%201=1%20--",
  '%0d%0aSet-Cookie:%20x=1',
  '<script>',
  'xiuzhou-inspection-2023%2f..%2f..',
];
const TOKEN_MUTATIONS = [...SLUG_MUTATIONS, 'AAAAAAAAAAAAAAAAAAAAAAAA', 'XZ-2023-0000-0000', '1', '-1', '99999999999999999999', '1e309'];

function nastyString(r: Random): string {
  return r.chance(0.8) ? r.pick(NASTY_STRINGS) : r.pick(NASTY_NUMBERS);
}

type Case = {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** An opinion POST that might legitimately store a row. */
  opinionPost?: boolean;
};

/** Urlencoded body from pairs; values may be raw bytes (invalid UTF-8 on purpose). */
function encodeForm(pairs: Array<[string, string | Buffer]>): Buffer {
  const parts = pairs.map(([k, v]) =>
    Buffer.concat([
      Buffer.from(encodeURIComponent(k) + '='),
      typeof v === 'string' ? Buffer.from(encodeURIComponent(v).replace(/%20/g, '+')) : v,
    ]),
  );
  return Buffer.concat(parts.flatMap((p, i) => (i ? [Buffer.from('&'), p] : [p])));
}

const INVALID_UTF8 = [Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xc3, 0x28]), Buffer.from([0xe3, 0x81]), Buffer.from('%FF%FE%C3%28'), Buffer.from([0xed, 0xa0, 0x80])];

function opinionForm(r: Random, n: number): Array<[string, string | Buffer]> {
  const valid: Array<[string, string | Buffer]> = [
    ['section', String(r.int(14))],
    ['item', ''],
    ['body', `ファズ試験の意見その${n}です。十分な長さがあります。`],
    ['name', '試験'],
    ['email', ''],
    ['phone', ''],
    ['consent', 'on'],
  ];
  const fields = valid.map(([k, v]) => [k, v] as [string, string | Buffer]);
  const mutations = 1 + r.int(3);
  for (let m = 0; m < mutations; m++) {
    const i = r.int(fields.length);
    switch (r.int(9)) {
      case 0: // overlong or nasty value
        fields[i] = [fields[i][0], nastyString(r)];
        break;
      case 1: // invalid UTF-8 bytes
        fields[i] = [fields[i][0], Buffer.concat([Buffer.from('abc'), r.pick(INVALID_UTF8), Buffer.from('defghijklm')])];
        break;
      case 2: // a repeated field (an array where one value is expected)
        fields.push([fields[i][0], r.chance(0.5) ? nastyString(r) : String(fields[i][1])]);
        break;
      case 3: // a missing field
        fields.splice(i, 1);
        break;
      case 4: // extra fields
        fields.push([r.pick(['__proto__[x]', 'constructor', 'status', 'channel', 'id', 'reportId', 'website', '_js', 'formToken', 'x'.repeat(500)]), nastyString(r)]);
        break;
      case 5: // a huge or odd number
        fields[i] = [r.pick(['section', 'item']), r.pick(NASTY_NUMBERS)];
        break;
      case 6: // body at the edges of its limits
        fields[i] = ['body', r.pick(['短い', 'あ'.repeat(4001), ' \n\t ', '\u0000'.repeat(20), 'a'.repeat(9) + '\u0000'])];
        break;
      case 7: // contact fields broken
        fields[i] = [r.pick(['email', 'phone', 'replyWanted', 'consent', 'publicOk']), nastyString(r)];
        break;
      default: // header injection in the name (must never reach a mail header)
        fields[i] = ['name', 'Taro\r\nBcc: victim@example.com'];
    }
  }
  return fields;
}

function bodyWithContentType(r: Random, form: Array<[string, string | Buffer]>): { body: Buffer; type: string | null } {
  switch (r.int(12)) {
    case 0:
      return { body: Buffer.from(JSON.stringify(Object.fromEntries(form.map(([k, v]) => [k, String(v)])))), type: 'application/json' };
    case 1:
      return { body: encodeForm(form), type: 'text/plain' };
    case 2:
      return { body: Buffer.from('--xyz\r\nContent-Disposition: form-data; name="body"\r\n\r\nunterminated'), type: 'multipart/form-data; boundary=xyz' };
    case 3:
      return { body: Buffer.from('garbage without boundary'), type: 'multipart/form-data' };
    case 4:
      return { body: encodeForm(form), type: null };
    case 5: // oversized (> 64 KB)
      return { body: encodeForm([...form, ['body', 'あ'.repeat(30_000)]]), type: 'application/x-www-form-urlencoded' };
    case 6:
      return { body: Buffer.from(r.pick(['&&&===', '=', '%', '%%%', 'a=%ZZ', '&'.repeat(5000), 'a'.repeat(20_000)])), type: 'application/x-www-form-urlencoded' };
    case 7:
      return { body: encodeForm(form), type: 'application/x-www-form-urlencoded; charset=shift_jis' };
    default:
      return { body: encodeForm(form), type: 'application/x-www-form-urlencoded' };
  }
}

function generateCases(r: Random, cookie: string, opinionId: number): Case[] {
  const cases: Case[] = [];
  const get = (label: string, path: string, headers: Record<string, string> = {}) => cases.push({ label, method: 'GET', path, headers });
  for (let n = 0; cases.length < TOTAL; n++) {
    const withCookie: Record<string, string> = r.chance(0.5) ? { Cookie: r.chance(0.85) ? cookie : r.pick([`${cookie}x`, '__ikenbako_staff=garbage', `__ikenbako_staff=${'a'.repeat(3000)}`, 'x=%00']) } : {};
    const q = () => encodeURIComponent(nastyString(r));
    switch (r.int(16)) {
      case 0:
        get('home', r.pick(['/', `/?q=${q()}`, '/?page=1e309', `/?${q()}=${q()}`]));
        break;
      case 1:
        get('report', `/reports/${r.chance(0.3) ? SLUG : r.pick(SLUG_MUTATIONS)}${r.chance(0.3) ? `?section=${q()}` : ''}`);
        break;
      case 2:
        get('receipt', `/receipts/${r.pick(TOKEN_MUTATIONS)}`);
        break;
      case 3:
        get('track', r.pick([`/track?number=${q()}`, `/track?number=${r.pick(TOKEN_MUTATIONS)}`, '/track?number=a&number=b', '/track?number']));
        break;
      case 4:
        get('static', r.pick(['/privacy', '/healthz', '/favicon.svg', '/robots.txt', `/privacy?${q()}`, '/build/..%2f..%2fpackage.json', '/build/%00.js', '/.env', '/server.js', '/build/index.js']));
        break;
      case 5:
        get('unknown', r.pick(['/nope', `/${r.pick(SLUG_MUTATIONS)}`, '/reports', '/reports/', '/staff/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', `/api/${q()}`, '/reports//opinions']));
        break;
      case 6:
        get('staff-login', `/staff/login${r.chance(0.5) ? `?redirectTo=${encodeURIComponent(r.pick(['//evil.example', 'https://evil.example', '/staff', 'javascript:alert(1)', '\\\\evil.example']))}` : ''}`);
        break;
      case 7: {
        const params = ['q', 'status', 'section', 'item', 'channel', 'unit', 'assignee', 'from', 'to', 'overdue', 'page', 'report'];
        const query = Array.from({ length: 1 + r.int(3) }, () => `${r.pick(params)}=${r.chance(0.5) ? q() : encodeURIComponent(r.pick(NASTY_NUMBERS))}`).join('&');
        get('staff-inbox', `/staff?${query}`, withCookie);
        break;
      }
      case 8:
        get('staff-opinion', `/staff/opinions/${r.chance(0.3) ? opinionId : r.pick([...NASTY_NUMBERS.map(encodeURIComponent), ...TOKEN_MUTATIONS])}`, withCookie);
        break;
      case 9:
        get('staff-export', `/staff/export.csv?${r.pick(['q', 'status', 'section', 'from'])}=${q()}`, withCookie);
        break;
      case 10: {
        const fields: Array<[string, string | Buffer]> = [
          ['email', r.chance(0.5) ? nastyString(r) : 'admin@localhost'],
          ['password', r.chance(0.3) ? r.pick(INVALID_UTF8) : nastyString(r)],
        ];
        if (r.chance(0.3)) fields.push(['redirectTo', r.pick(['//evil.example', 'https://evil.example', nastyString(r)])]);
        const { body, type } = bodyWithContentType(r, fields);
        cases.push({ label: 'staff-login-post', method: 'POST', path: '/staff/login', headers: { ...(type ? { 'Content-Type': type } : {}), ...(r.chance(0.8) ? { Origin: 'SELF' } : { Origin: 'https://evil.example' }) }, body });
        break;
      }
      case 11: {
        const fields: Array<[string, string | Buffer]> = [
          [r.pick(['intent', '_action', 'status', 'unitId', 'assigneeId', 'dueAt', 'note', 'duplicateOf']), nastyString(r)],
          [r.pick(['intent', 'status', 'note', 'body']), nastyString(r)],
        ];
        const { body, type } = bodyWithContentType(r, fields);
        const path = r.pick([`/staff/opinions/${opinionId}`, `/staff/opinions/${r.pick(NASTY_NUMBERS.map(encodeURIComponent))}`, '/staff', '/staff/logout', '/staff/users', '/staff/units']);
        cases.push({ label: 'staff-post', method: 'POST', path, headers: { ...(type ? { 'Content-Type': type } : {}), Origin: r.chance(0.8) ? 'SELF' : 'https://evil.example', ...withCookie }, body });
        break;
      }
      case 12: {
        const { body, type } = bodyWithContentType(r, opinionForm(r, n));
        cases.push({ label: 'opinion-post-bad-slug', method: 'POST', path: `/reports/${r.pick(SLUG_MUTATIONS)}/opinions`, headers: type ? { 'Content-Type': type } : {}, body });
        break;
      }
      case 13:
        cases.push({ label: 'wrong-method', method: r.pick(['POST', 'PUT', 'DELETE', 'PATCH']), path: r.pick(['/', '/healthz', '/track', '/privacy', `/reports/${SLUG}`, `/receipts/${r.pick(TOKEN_MUTATIONS)}`]), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: Buffer.from('a=1') });
        break;
      default: {
        const { body, type } = bodyWithContentType(r, opinionForm(r, n));
        cases.push({ label: 'opinion-post', method: 'POST', path: `/reports/${SLUG}/opinions`, headers: type ? { 'Content-Type': type } : {}, body, opinionPost: true });
      }
    }
  }
  return cases;
}

// --- Sending ----------------------------------------------------------------------

type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string } | { error: string };

function send(base: URL, c: Case, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...c.headers };
    if (headers.Origin === 'SELF') headers.Origin = base.origin;
    if (c.body) headers['Content-Length'] = String(c.body.length);
    const req = http.request({ host: base.hostname, port: base.port, method: c.method, path: c.path, headers, agent, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ error: String(e) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    // A server that refuses an oversized body may close before reading it all.
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? String(e) }));
    req.end(c.body);
  });
}

/** A request Node's own HTTP parser must refuse (never reaches the app). */
function sendRaw(port: number, raw: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(raw));
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => resolve(out.split('\r\n')[0]));
    socket.on('error', () => resolve('(error)'));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

function describeCase(c: Case): string {
  const body = c.body ? c.body.subarray(0, 160).toString('latin1') : '';
  return `${c.label}: ${c.method} ${c.path.slice(0, 160)} ${JSON.stringify(c.headers).slice(0, 200)} ${body}`;
}

// --- The runs -----------------------------------------------------------------------

let server: TestServer;
let cookie: string;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '100000000' });
  const admin = await createTestUser(server.databasePath, 'admin');
  cookie = await signIn(server.url, admin.email, admin.password);
});
afterAll(async () => {
  await server?.stop();
});

async function opinionRows(target: string): Promise<Array<{ id: number; receipt_token: string; name: string | null }>> {
  const { db } = openDatabase(target);
  try {
    return await db.selectFrom('opinions').select(['id', 'receipt_token', 'name']).orderBy('id').execute();
  } finally {
    await db.destroy();
  }
}

describe('fuzzing every endpoint', () => {
  it(`answers ${TOTAL} generated bad requests (seed ${SEED}) without a 5xx and stores only what it acknowledged`, { timeout: 180_000 }, async () => {
    // One real opinion, so the staff detail page has something to show.
    const seedPost = await postForm(`${server.url}/reports/${SLUG}/opinions`, { section: '1', body: 'ファズ試験の前に送る正しい意見です。', consent: 'on' });
    expect(seedPost.status).toBe(303);
    const before = await opinionRows(server.databasePath);
    const opinionId = before[before.length - 1]?.id ?? 1;

    const cases = generateCases(createRandom(SEED), cookie, opinionId);
    const base = new URL(server.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const offending: string[] = [];
    const injected: string[] = [];
    const acknowledged: string[] = [];
    const statusCounts: Record<string, number> = {};
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) {
          const c = cases[next++];
          const a = await send(base, c, agent);
          if ('error' in a) {
            // A refused oversized upload may reset the connection; anything else is a failure.
            if (!(c.body && c.body.length > 64 * 1024 && /ECONNRESET|EPIPE/.test(a.error))) offending.push(`${a.error} ← ${describeCase(c)}`);
            statusCounts.error = (statusCounts.error ?? 0) + 1;
            continue;
          }
          statusCounts[a.status] = (statusCounts[a.status] ?? 0) + 1;
          if (a.status >= 500) offending.push(`${a.status} ← ${describeCase(c)}`);
          const setCookie = (a.headers['set-cookie'] ?? []).join('\n');
          if (/(^|\n)x=1/.test(setCookie) || a.headers['bcc']) injected.push(describeCase(c));
          if (c.opinionPost && a.status < 400) acknowledged.push(`${a.headers.location ?? ''}\n${a.text}`);
        }
      }),
    );
    agent.destroy();

    // Malformed HTTP that Node itself must refuse with a 4xx.
    const rawLines = await Promise.all(
      [
        Buffer.from('GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'),
        Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n'),
        Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nX-Inject: a\rSet-Cookie: x=1\r\n\r\n'),
        Buffer.from('POST /reports/x/opinions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'),
        Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n'),
        Buffer.from(`GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
      ].map((raw) => sendRaw(server.port, raw)),
    );
    for (const line of rawLines) {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(line)?.[1] ?? 0);
      if (status >= 500) offending.push(`raw request answered ${line}`);
    }

    if (offending.length) {
      const byKind = new Map<string, string[]>();
      for (const o of offending) {
        const kind = /^(\S+) ← ([\w-]+): (\w+) ([^?\s]*)/.exec(o)?.slice(1).join(' ') ?? o.slice(0, 60);
        byKind.set(kind, [...(byKind.get(kind) ?? []), o]);
      }
      const summary = [...byKind].map(([kind, list]) => `${list.length} × ${kind}\n    e.g. ${list[0].slice(0, 400).replace(/\n/g, '\\n')}`);
      console.error(`fuzz seed ${SEED}: ${offending.length} offending requests\n${summary.join('\n')}`);
    }
    expect(cases.length).toBeGreaterThanOrEqual(2000);
    expect(offending, `5xx or broken answers (seed ${SEED})`).toEqual([]);
    expect(injected, 'a header was injected into a response').toEqual([]);
    expect(Object.keys(statusCounts).some((s) => s.startsWith('4')), JSON.stringify(statusCounts)).toBe(true);

    // Every row added belongs to a request that was answered with success.
    const added = (await opinionRows(server.databasePath)).filter((row) => !before.some((b) => b.id === row.id));
    const unacknowledged = added.filter((row) => !acknowledged.some((text) => text.includes(row.receipt_token)));
    expect(unacknowledged, 'rows stored for requests that were not acknowledged').toEqual([]);
    // No stored name kept a line break (it would be a mail-header injection waiting to happen).
    expect(added.filter((row) => /[\r\n\u0000]/.test(row.name ?? ''))).toEqual([]);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' });
    // The real page still renders after all of it.
    expect((await fetch(`${server.url}/reports/${SLUG}`)).status).toBe(200);
  });
});

describe('fuzzing with the default rate limit', () => {
  it('answers a flood of opinions with 429s (Retry-After), never a 5xx', async () => {
    const limited = await startTestServer();
    try {
      const r = createRandom(SEED + 1);
      const statuses: number[] = [];
      const retryAfter: Array<string | null> = [];
      for (let n = 0; n < 40; n++) {
        const form: Array<[string, string | Buffer]> = r.chance(0.7)
          ? opinionForm(createRandom(SEED + n), n).filter(([k]) => k !== 'website')
          : [['section', '1'], ['body', `正しい意見その${n}です。よろしくお願いします。`], ['consent', 'on']];
        const res = await postForm(`${limited.url}/reports/${SLUG}/opinions`, new Uint8Array(encodeForm(form)));
        await res.arrayBuffer();
        statuses.push(res.status);
        if (res.status === 429) retryAfter.push(res.headers.get('retry-after'));
      }
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses).toContain(429);
      expect(retryAfter.every((v) => v !== null && Number(v) > 0)).toBe(true);
      expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
