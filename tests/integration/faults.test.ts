// Faults a real deployment meets: a crash mid-load, a mail outage, a locked
// database and a shutdown under load. Each test starts its own production
// server; afterwards the database file itself is inspected.
import net from 'node:net';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerBuild } from '@remix-run/node';
import { isBusyError, withBusyAs503 } from '~/server/db-errors.server';
import { createTestDb } from '../helpers/db';
import { postForm, receiptToken, waitFor } from '../helpers/http';
import { startTestSmtp } from '../helpers/smtp';
import { startTestServer, type TestServer } from '../helpers/server';

const SLUG = 'xiuzhou-inspection-2023';
const NO_LIMIT = { RATE_LIMIT_OPINIONS: '100000000' };

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function server(env: Record<string, string>): Promise<TestServer> {
  const s = await startTestServer(env);
  cleanups.push(() => s.kill());
  return s;
}
/** The shared SMTP test server, stopped after each test; Message-IDs in arrival order. */
async function smtp(port = 0) {
  const receiver = await startTestSmtp(port);
  cleanups.push(receiver.stop);
  return {
    url: receiver.url,
    port: receiver.port,
    get messageIds() {
      return receiver.messages.map((m) => m.messageId ?? '(none)');
    },
  };
}

type Outcome = { i: number; status: number | null; token: string | null; error: string | null };

/** One valid opinion; the body differs per i so no two look like a double submission. */
async function postOpinion(url: string, i: number, tag: string): Promise<Outcome> {
  try {
    const res = await postForm(`${url}/reports/${SLUG}/opinions`, {
      section: String(i % 14),
      item: '',
      body: `障害試験(${tag})の意見その${i}です。駐車場の整備をお願いします。`,
      name: i % 2 ? '試験 花子' : '',
      consent: 'on',
    });
    await res.arrayBuffer().catch(() => {});
    return { i, status: res.status, token: receiptToken(res), error: null };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { i, status: null, token: null, error: cause?.code ?? cause?.message ?? String(error) };
  }
}

/** Runs n posts with `concurrency` in flight; `onResponse` sees each finished one. */
async function postMany(url: string, n: number, concurrency: number, tag: string, onResponse?: (o: Outcome, done: number) => void) {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const o = await postOpinion(url, next++, tag);
        outcomes.push(o);
        onResponse?.(o, outcomes.length);
      }
    }),
  );
  return outcomes;
}

function openFile(file: string) {
  const sqlite = new SQLite(file);
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/** integrity_check, and every opinion has its office message (the one transaction held). */
function checkConsistent(file: string) {
  const sqlite = openFile(file);
  try {
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const orphans = sqlite
      .prepare(
        `select count(*) as n from opinions o where o.channel = 'web' and not exists
           (select 1 from outbox_messages m where m.opinion_id = o.id and m.kind = 'office_notification')`,
      )
      .get() as { n: number };
    expect(orphans.n, 'opinions without their office message').toBe(0);
    const strays = sqlite
      .prepare(`select count(*) as n from outbox_messages m where m.opinion_id is not null and not exists (select 1 from opinions o where o.id = m.opinion_id)`)
      .get() as { n: number };
    expect(strays.n, 'outbox messages without their opinion').toBe(0);
  } finally {
    sqlite.close();
  }
}

function sentCount(file: string, messageId: string): number {
  const sqlite = openFile(file);
  try {
    return (sqlite.prepare(`select count(*) as n from outbox_messages where message_id = ? and status = 'sent'`).get(messageId) as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

function countByToken(file: string, tokens: string[]): Map<string, number> {
  const sqlite = openFile(file);
  try {
    const stmt = sqlite.prepare('select count(*) as n from opinions where receipt_token = ?');
    return new Map(tokens.map((t) => [t, (stmt.get(t) as { n: number }).n]));
  } finally {
    sqlite.close();
  }
}

/** Puts a message straight into the outbox, due now; its arrival proves a worker poll ran after this. */
function enqueueCanary(file: string, tag: string): string {
  const messageId = `<canary-${tag}-${Date.now()}@localhost>`;
  const sqlite = openFile(file);
  try {
    const now = new Date().toISOString();
    sqlite
      .prepare(
        `insert into outbox_messages (opinion_id, kind, recipient, subject, text_body, html_body, message_id, next_attempt_at, created_at)
         values (null, 'canary', 'canary@example.jp', 'canary', 'canary', '<p>canary</p>', ?, ?, ?)`,
      )
      .run(messageId, now, now);
  } finally {
    sqlite.close();
  }
  return messageId;
}

const bare = (id: string | undefined) => (id ?? '').replace(/^<|>$/g, '');
const isCanary = (id: string) => bare(id).startsWith('canary-');

describe('crash: SIGKILL while 500 opinions arrive', () => {
  // Killed after 120 answers: enough to prove the point, few enough that their
  // mail (one SMTP conversation each) is delivered well within the test's budget.
  it('keeps every acknowledged opinion exactly once and delivers its mail after a restart', async () => {
    const mail = await smtp();
    // The first server's worker polls once at start and then not for 10 minutes,
    // so all mail of this run is still pending when it dies. A message queued
    // before it starts shows when that first poll is over.
    const { file, close } = await createTestDb();
    await close();
    const canary = enqueueCanary(file, 'crash');
    const first = await server({ ...NO_LIMIT, DATABASE_PATH: file, SMTP_URL: mail.url, OUTBOX_POLL_MS: '600000' });
    await waitFor(() => mail.messageIds.some((id) => bare(id) === bare(canary)) && sentCount(file, canary) === 1, { message: "the first server's first worker poll" });

    let killed: Promise<void> | null = null;
    const outcomes = await postMany(first.url, 500, 50, 'crash', (_o, done) => {
      if (done === 120) killed = first.kill();
    });
    await killed;

    const answered = outcomes.filter((o) => o.status !== null);
    const acked = answered.filter((o) => o.token);
    expect(answered.filter((o) => !o.token), 'answers that were not a 303 to a receipt').toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(120);
    expect(outcomes.some((o) => o.error), 'the kill cut some requests off').toBe(true);

    checkConsistent(first.databasePath);
    const counts = countByToken(first.databasePath, acked.map((o) => o.token!));
    expect([...counts.entries()].filter(([, n]) => n !== 1), 'acknowledged opinions not stored exactly once').toEqual([]);

    const second = await server({ DATABASE_PATH: first.databasePath, SMTP_URL: mail.url, OUTBOX_POLL_MS: '200' });
    const sqlite = openFile(second.databasePath);
    cleanups.push(async () => sqlite.close());
    const pendingCount = () => (sqlite.prepare(`select count(*) as n from outbox_messages where status <> 'sent'`).get() as { n: number }).n;
    await waitFor(() => pendingCount() === 0, { message: 'the outbox to drain', timeout: 45_000 });

    const expected = sqlite
      .prepare(
        `select m.message_id as id from outbox_messages m join opinions o on o.id = m.opinion_id
         where o.receipt_token in (${acked.map(() => '?').join(',')})`,
      )
      .all(...acked.map((o) => o.token)) as Array<{ id: string }>;
    expect(expected.length).toBeGreaterThanOrEqual(acked.length);
    const received = new Map<string, number>();
    for (const id of mail.messageIds) received.set(bare(id), (received.get(bare(id)) ?? 0) + 1);
    // Nothing was sent before the crash, so each message arrives exactly once.
    expect(expected.filter((e) => received.get(bare(e.id)) !== 1).map((e) => e.id), 'messages not delivered exactly once').toEqual([]);
  });
});

describe('mail outage', () => {
  it('stores 100 opinions while SMTP is down and delivers each message exactly once when it returns', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const app = await server({ ...NO_LIMIT, SMTP_URL: `smtp://127.0.0.1:${port}`, OUTBOX_POLL_MS: '200' });
    const outcomes = await postMany(app.url, 100, 10, 'outage');
    expect(outcomes.filter((o) => !o.token)).toEqual([]);

    const sqlite = openFile(app.databasePath);
    cleanups.push(async () => sqlite.close());
    const stats = () =>
      sqlite.prepare(`select count(*) as total, sum(status = 'pending') as pending, sum(attempts = 0) as untried from outbox_messages`).get() as {
        total: number;
        pending: number;
        untried: number;
      };
    // Every message was tried against the dead port and is still pending.
    await waitFor(() => stats().untried === 0, { message: 'a first delivery attempt for every message' });
    expect(stats()).toMatchObject({ total: 100, pending: 100 });
    const health = await (await fetch(`${app.url}/healthz`)).json();
    expect(health.outbox).toEqual({ pending: 100, failed: 0, bounced24h: 0 });

    const mail = await smtp(port);
    // The retry is scheduled a minute out; move it to now rather than wait
    // (the same as the minute passing).
    sqlite.prepare(`update outbox_messages set next_attempt_at = ? where status = 'pending'`).run(new Date().toISOString());
    await waitFor(() => mail.messageIds.length >= 100, { message: '100 deliveries', timeout: 30_000 });
    await waitFor(() => stats().pending === 0, { message: 'every message marked sent' });
    // Nothing may follow: a message queued now is delivered by a later poll,
    // and by then any second delivery of the 100 would have arrived too.
    const canary = enqueueCanary(app.databasePath, 'outage');
    await waitFor(() => mail.messageIds.some((id) => bare(id) === bare(canary)), { message: 'a later worker poll' });

    const dbIds = (sqlite.prepare(`select message_id as id from outbox_messages where kind <> 'canary'`).all() as Array<{ id: string }>)
      .map((r) => bare(r.id))
      .sort();
    const got = mail.messageIds.filter((id) => !isCanary(id)).map(bare).sort();
    expect(got).toHaveLength(100);
    expect(new Set(got).size).toBe(100);
    expect(got).toEqual(dbIds);
    checkConsistent(app.databasePath);
  });
});

describe('busy database', () => {
  // The fault itself, not a wait for something: another process keeps the
  // write lock for 2 s, longer than any request takes and shorter than the
  // server's 5 s busy_timeout.
  const holdLock = () => new Promise((resolve) => setTimeout(resolve, 2000));

  it('waits for a write lock held for 2 s, then stores the opinions', async () => {
    const app = await server(NO_LIMIT);
    const locker = openFile(app.databasePath);
    cleanups.push(async () => locker.close());
    locker.exec('BEGIN IMMEDIATE');
    let released = false;
    const answeredWhileLocked: number[] = [];
    const posts = Array.from({ length: 5 }, (_, i) =>
      postOpinion(app.url, i, 'lock2s').then((o) => {
        if (!released) answeredWhileLocked.push(i);
        return o;
      }),
    );
    await holdLock();
    released = true;
    locker.exec('COMMIT');
    const outcomes = await Promise.all(posts);
    expect(answeredWhileLocked, 'answers that did not wait for the lock').toEqual([]);
    expect(outcomes.map((o) => o.status)).toEqual([303, 303, 303, 303, 303]);
    expect([...countByToken(app.databasePath, outcomes.map((o) => o.token!)).values()]).toEqual([1, 1, 1, 1, 1]);
    checkConsistent(app.databasePath);
  });

  it('never answers 500 when the lock holder writes and commits while requests wait', async () => {
    const app = await server(NO_LIMIT);
    const locker = openFile(app.databasePath);
    cleanups.push(async () => locker.close());
    const before = (locker.prepare('select count(*) as n from opinions').get() as { n: number }).n;
    locker.exec('BEGIN IMMEDIATE');
    locker.prepare(`insert into settings (key, value) values ('fault-test', ?)`).run(new Date().toISOString());
    const posts = Array.from({ length: 5 }, (_, i) => postOpinion(app.url, i, 'writer'));
    await holdLock();
    locker.exec('COMMIT');
    const outcomes = await Promise.all(posts);
    // Success after the wait, or a clear 503: a stale snapshot must not become a 500.
    for (const o of outcomes) expect([303, 503], `request ${o.i}`).toContain(o.status);
    const stored = outcomes.filter((o) => o.token);
    expect([...countByToken(app.databasePath, stored.map((o) => o.token!)).values()].every((n) => n === 1)).toBe(true);
    const after = (locker.prepare('select count(*) as n from opinions').get() as { n: number }).n;
    expect(after - before).toBe(stored.length);
    checkConsistent(app.databasePath);
  });

  it('answers 503 with a Japanese message when the lock outlasts busy_timeout, and writes nothing', async () => {
    const app = await server(NO_LIMIT);
    const locker = openFile(app.databasePath);
    cleanups.push(async () => locker.close());
    const before = (locker.prepare('select count(*) as n from opinions').get() as { n: number }).n;
    locker.exec('BEGIN IMMEDIATE');
    const res = postForm(`${app.url}/reports/${SLUG}/opinions`, { section: '1', body: 'ロック中に送られた意見です。届かないはずです。', consent: 'on' }).then(
      async (r) => ({ status: r.status, text: await r.text() }),
    );
    // The server gives up after its 5 s lock wait; the margin is for a loaded machine
    // (7 s was missed once with three test suites sharing the two cores).
    const answer = await Promise.race([res, new Promise<null>((r) => setTimeout(() => r(null), 12_000))]);
    locker.exec('COMMIT');
    expect(answer, 'an answer while the lock was still held').not.toBeNull();
    expect(answer!.status).toBe(503);
    expect(answer!.text).toMatch(/混み合って|集中して/);
    const after = (locker.prepare('select count(*) as n from opinions').get() as { n: number }).n;
    expect(after).toBe(before);
    checkConsistent(app.databasePath);
    // And the server is fine once the lock is gone.
    expect((await postOpinion(app.url, 1, 'after-lock')).status).toBe(303);
  });

  it('maps SQLite busy errors (and only those) to a 503 Response in every loader and action', async () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const snapshot = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY_SNAPSHOT' });
    expect(isBusyError(busy)).toBe(true);
    expect(isBusyError(new Error('wrapped', { cause: snapshot }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
    expect(isBusyError(null)).toBe(false);

    const build = withBusyAs503({
      routes: {
        a: { id: 'a', module: { action: async () => { throw busy; }, loader: () => ({ ok: true }) } },
        b: { id: 'b', module: { action: async () => { throw new Error('boom'); } } },
      },
    } as unknown as ServerBuild);
    const thrown = await (build.routes.a.module.action as () => Promise<unknown>)().catch((e) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(503);
    expect(await (thrown as Response).text()).toMatch(/もう一度/);
    expect(await (build.routes.a.module.loader as unknown as () => Promise<unknown>)()).toEqual({ ok: true });
    await expect((build.routes.b.module.action as () => Promise<unknown>)()).rejects.toThrow('boom');
  });
});

describe('graceful shutdown', () => {
  it('finishes requests in flight on SIGTERM, loses no acknowledged opinion and exits 0', async () => {
    const app = await server(NO_LIMIT);
    let exited: Promise<number | null> | null = null;
    const outcomes = await postMany(app.url, 100, 100, 'sigterm', (_o, done) => {
      if (done === 10) exited = app.stop();
    });
    expect(await exited, app.logs().slice(-2000)).toBe(0);

    const answered = outcomes.filter((o) => o.status !== null);
    expect(answered.filter((o) => o.status !== 303), 'answers other than a 303').toEqual([]);
    // Anything without an answer must have been refused at connect, never cut mid-request.
    const refused = outcomes.filter((o) => o.status === null);
    expect([...new Set(refused.filter((o) => o.error !== 'ECONNREFUSED').map((o) => o.error))], 'requests cut off mid-flight').toEqual([]);
    expect(answered.length).toBeGreaterThanOrEqual(10);

    const counts = countByToken(app.databasePath, answered.map((o) => o.token!));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    checkConsistent(app.databasePath);
  });
});
