// Two app processes on one database behind real nginx (Debian nginx-light),
// configured from deploy/nginx.conf: opinions go through both; each office
// mail is delivered once with both outbox workers running; a rate limit
// reached through one instance holds on the other; a client spoofing
// X-Forwarded-For is limited by the address nginx saw; a staff session made on
// one instance works on the other; SIGKILL of one instance during 500 opinions
// loses no acknowledged opinion. On the SQLite run both processes share one
// file, on the PostgreSQL run one database.
//
// Clients are told apart by their loopback source address (127.x.y.z, all of
// which are this machine): nginx appends it to X-Forwarded-For and the apps
// (TRUST_PROXY=1) take it as the client.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { tempDir } from '../helpers/db';
import { waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestUser, signIn } from '../helpers/staff';
import { freePort, writeLocalNginxConfig } from '../../scripts/nginx-local';

const ROOT = path.resolve(__dirname, '../..');
const SLUG = 'xiuzhou-inspection-2023';
const RATE_LIMIT = 3;

let smtp: TestSmtp;
let first: TestServer;
let second: TestServer;
let proxy: { url: string; stop: () => Promise<void>; logs: () => string };
let db: DB;
let smtpStopped = false;


/** nginx with deploy/nginx.conf's server block: this port, these upstreams, this checkout's public/. */
async function startNginx(port: number, upstreams: number[]): Promise<{ url: string; stop: () => Promise<void>; logs: () => string }> {
  const dir = tempDir('ikenbako-nginx-');
  const args = writeLocalNginxConfig({ root: ROOT, dir, port, upstreams, accessLog: true });
  const proc: ChildProcess = spawn('/usr/sbin/nginx', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const logs = () => {
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '');
    return `${output}\n${read('error.log')}`;
  };
  const url = `http://127.0.0.1:${port}`;
  // Answered by nginx (its Server header), not by whatever else might hold the port.
  await waitFor(
    async () => {
      if (proc.exitCode !== null) return false;
      const res = await fetch(`${url}/healthz`);
      return res.status === 200 && /^nginx/.test(res.headers.get('server') ?? '');
    },
    { message: () => `nginx to answer /healthz:\n${logs()}` },
  );
  return {
    url,
    logs,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

type Answer = { status: number; location: string | null; body: string };

/** A POST from a given loopback address, as a separate machine would send it. */
function post(base: string, pathname: string, fields: Record<string, string>, options: { from: string; headers?: Record<string, string>; origin?: string }): Promise<Answer> {
  const url = new URL(pathname, base);
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: options.from,
        agent: false,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          Origin: options.origin ?? proxy.url,
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let sent = 0;
function opinion(base: string, from: string, headers: Record<string, string> = {}, origin?: string): Promise<Answer> {
  sent += 1;
  return post(
    base,
    `/reports/${SLUG}/opinions`,
    { section: String((sent % 3) + 1), item: '', body: `ふたつのサーバーの前のnginxを通る意見です。番号${sent}。`, consent: 'on' },
    { from, headers, origin },
  );
}

const receiptOf = (a: Answer) => (a.status === 303 ? /^\/receipts\/([A-Za-z0-9_-]+)$/.exec(a.location ?? '')?.[1] ?? null : null);
const opinionPosts = (server: TestServer) => server.logs().match(/"msg":"request","method":"POST","path":"\/reports\/[^"]+\/opinions","status":303/g)?.length ?? 0;

beforeAll(async () => {
  smtp = await startTestSmtp();
  const nginxPort = await freePort();
  const env = {
    TRUST_PROXY: '1',
    PUBLIC_URL: `http://127.0.0.1:${nginxPort}`,
    SMTP_URL: smtp.url,
    OFFICE_EMAIL: 'office@example.gov',
    RATE_LIMIT_OPINIONS: String(RATE_LIMIT),
  };
  // One after the other: the first migrates and imports the notice.
  first = await startTestServer(env);
  second = await startTestServer({ ...env, DATABASE_PATH: first.databasePath });
  proxy = await startNginx(nginxPort, [first.port, second.port]);
  db = openDatabase(first.databasePath).db;
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([first?.stop(), second?.stop()]);
  await db?.destroy();
  if (!smtpStopped) await smtp?.stop();
});

describe('two app processes behind nginx', () => {
  it('takes opinions through both, and delivers each office mail once with both outbox workers running', async () => {
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await opinion(proxy.url, `127.0.0.${10 + i}`));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(303));
    // nginx shared them out: each process stored some.
    expect(opinionPosts(first)).toBeGreaterThan(0);
    expect(opinionPosts(second)).toBeGreaterThan(0);
    const tokens = answers.map(receiptOf);
    const stored = await db.selectFrom('opinions').select('receipt_token').where('receipt_token', 'in', tokens as string[]).execute();
    expect(stored).toHaveLength(12);

    await waitFor(async () => (await db.selectFrom('outbox_messages').select('id').where('status', '!=', 'sent').execute()).length === 0, {
      message: 'both outbox workers to send everything',
    });
    const outbox = await db.selectFrom('outbox_messages').select(['message_id', 'recipient']).where('recipient', '=', 'office@example.gov').execute();
    expect(outbox.length).toBeGreaterThanOrEqual(12);
    const strip = (id: string | undefined) => (id ?? '').replace(/^<|>$/g, '');
    for (const { message_id } of outbox) {
      expect(smtp.messages.filter((m) => strip(m.messageId) === strip(message_id)), message_id).toHaveLength(1);
    }
  });

  it('serves the built assets and the catalogs itself, with the app’s cache headers, gzipped', async () => {
    // The reports list is hydrated (the report page's document carries no script, decision 017).
    const page = await fetch(`${proxy.url}/`);
    expect(page.status).toBe(200);
    const asset = /"(\/build\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(asset).toBeTruthy();
    const built = await fetch(`${proxy.url}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(built.status).toBe(200);
    expect(built.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(built.headers.get('x-content-type-options')).toBe('nosniff');
    const catalog = await fetch(`${proxy.url}/locales/ja/common.json`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(catalog.status).toBe(200);
    expect(catalog.headers.get('content-encoding')).toBe('gzip');
    expect(catalog.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(await catalog.json()).toBeTypeOf('object');
    // Neither app process saw them (every request the app serves is logged).
    for (const server of [first, second]) {
      expect(server.logs()).not.toContain(`"path":"${asset}"`);
      expect(server.logs()).not.toContain('"path":"/locales/ja/common.json"');
    }
  });

  it('a rate limit reached through one instance holds on the other', async () => {
    const from = '127.0.0.50';
    const statuses = [];
    for (let i = 0; i < RATE_LIMIT; i++) statuses.push((await opinion(first.url, from, {}, first.url)).status);
    statuses.push((await opinion(second.url, from, {}, second.url)).status);
    expect(statuses).toEqual([...Array(RATE_LIMIT).fill(303), 429]);
  });

  it('a client spoofing X-Forwarded-For through nginx is limited by the address nginx saw', async () => {
    const statuses = [];
    for (let i = 0; i < RATE_LIMIT * 2 + 1; i++) {
      statuses.push((await opinion(proxy.url, '127.0.0.60', { 'X-Forwarded-For': `198.51.100.${i + 1}` })).status);
    }
    expect(statuses).toEqual([...Array(RATE_LIMIT).fill(303), ...Array(RATE_LIMIT + 1).fill(429)]);
    // A different machine is a different client.
    expect((await opinion(proxy.url, '127.0.0.61', { 'X-Forwarded-For': '127.0.0.60' })).status).toBe(303);
  });

  it('a staff session made on one instance works on the other', async () => {
    const user = await createTestUser(first.databasePath, 'staff');
    const cookie = await signIn(first.url, user.email, user.password);
    const page = await fetch(`${second.url}/staff`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(user.displayName);
  });

  it('loses no acknowledged opinion when one instance is SIGKILLed during 500 opinions', async () => {
    // The mail was checked above. A process killed in the middle of an SMTP
    // conversation would reset the test server's socket; with the server
    // gone the outbox workers just keep their messages pending.
    await smtp.stop();
    smtpStopped = true;
    const total = 500;
    const answers: Array<Answer | Error> = [];
    let next = 0;
    let acknowledged = 0;
    let killedAfter = -1;
    let kill: Promise<void> | null = null;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        // A fresh address per opinion: the rate limit is not what this measures.
        const from = `127.2.${1 + Math.floor(i / 200)}.${1 + (i % 200)}`;
        try {
          const a = await opinion(proxy.url, from);
          answers[i] = a;
          if (a.status === 303) acknowledged++;
        } catch (error) {
          answers[i] = error as Error;
        }
        if (acknowledged >= 100 && !kill) {
          killedAfter = acknowledged;
          kill = second.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await kill;
    expect(killedAfter).toBeGreaterThanOrEqual(100);
    expect(second.proc.signalCode).toBe('SIGKILL');

    const tokens = answers.map((a) => (a instanceof Error ? null : receiptOf(a))).filter((t): t is string => t !== null);
    // The survivor kept taking opinions after the kill.
    expect(tokens.length).toBeGreaterThan(killedAfter + 100);
    // Anything not acknowledged was refused outright (nginx's 502 for a request the dead process held), never half-taken.
    for (const a of answers) if (!(a instanceof Error) && a.status !== 303) expect([502, 503, 504]).toContain(a.status);
    const stored = new Set<string>();
    for (let i = 0; i < tokens.length; i += 200) {
      const rows = await db.selectFrom('opinions').select('receipt_token').where('receipt_token', 'in', tokens.slice(i, i + 200)).execute();
      for (const r of rows) stored.add(r.receipt_token);
    }
    expect(tokens.filter((t) => !stored.has(t))).toEqual([]);
  });
});
