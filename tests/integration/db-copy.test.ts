// npm run db:copy as an operator runs it: an office's data made through the
// models (staff, units, opinions with attachments, notes, a duplicate that
// points forward, replies, sessions, audit, mail) is copied SQLite → SQLite
// always, and SQLite → PostgreSQL → SQLite on the PostgreSQL run; every
// table's rows on the copy equal the source's, search finds an opinion on the
// copy, new ids continue after the copied ones, a non-empty target is refused
// unless --force, and a copy killed halfway completes when run again.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOpinions } from '~/models/inbox.server';
import { importNotice } from '~/models/notices.server';
import { addNote, changeOpinionStatus } from '~/models/opinion-admin.server';
import { createOpinion, type CreateOpinionInput } from '~/models/opinions.server';
import { saveReplyDraft } from '~/models/replies-publish.server';
import { startSession } from '~/models/sessions.server';
import { createUnit } from '~/models/units.server';
import { createUser } from '~/models/users.server';
import { migrateToLatest, openDatabase, openSqliteDatabase, type DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { BUNDLED_NOTICE_PATH, BUNDLED_SLUG, tempDir } from '../helpers/db';
import { createPostgresDatabase, dropPostgresDatabase, onPostgres } from '../helpers/postgres';

const ROOT = path.resolve(__dirname, '../..');
const NOT_DATA = [/^sqlite_/, /^opinions_fts/, /^opinions_grams/, /^kysely_migration/];
const COUNTS = ['opinion_counts', 'opinion_section_counts', 'opinion_day_counts'];
const MARKER = '街灯が消えたままの歩道橋';

type Run = { code: number | null; signal: NodeJS.Signals | null; output: string };

/** Runs the CLI; `killWhen` SIGKILLs it as soon as its output matches. */
function dbCopy(args: string[], killWhen?: RegExp): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/db-copy.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const take = (d: Buffer) => {
      output += d;
      if (killWhen?.test(output)) proc.kill('SIGKILL');
    };
    proc.stdout.on('data', take);
    proc.stderr.on('data', take);
    proc.on('exit', (code, signal) => resolve({ code, signal, output }));
  });
}

async function dataTables(db: Kysely<any>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .filter((t) => !t.isView && (t.schema === undefined || t.schema === 'public') && !NOT_DATA.some((re) => re.test(t.name)))
    .map((t) => t.name)
    .sort();
}

/** Every data table as sorted lines of its rows, values as both engines agree on them. */
async function snapshot(db: Kysely<any>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await dataTables(db)) {
    // The search queue is derived: PostgreSQL keeps it empty, SQLite queues every copied opinion.
    if (table === 'opinions_search_queue') continue;
    const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    out[table] = rows
      // A count the triggers brought down to zero is no count.
      .filter((r) => !COUNTS.includes(table) || Number(r.n) !== 0)
      .map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, typeof r[k] === 'bigint' ? Number(r[k]) : r[k]])))
      .sort();
  }
  return out;
}

function opinionInput(reportId: number, n: number, extra: Partial<CreateOpinionInput> = {}): CreateOpinionInput {
  return {
    reportId,
    sectionNumber: (n % 3) + 1,
    itemNumber: null,
    body: `第${n}号: 歩道の段差を直してください。車いすで通れません。`,
    name: n % 2 ? `市民${n}` : null,
    email: n % 2 ? `citizen${n}@example.jp` : null,
    phone: null,
    replyWanted: n % 2 === 1,
    publicOk: n % 4 === 0,
    consent: true,
    channel: 'web',
    receivedAt: new Date(Date.UTC(2026, 10, 20, 1, n)),
    clientHash: `client-${n}`,
    userAgent: 'Mozilla/5.0 (test)',
    formToken: null,
    recordedById: null,
    ...extra,
  };
}

/** An office's data, made the way the app makes it. */
async function seedOffice(db: DB): Promise<void> {
  await importNotice(db, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG);
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const admin = await createUser(db, { email: 'admin@example.jp', displayName: '管理者', role: 'admin', password: 'Correct-Horse-Battery-42' });
  const actor: StaffUser = { id: admin.id, email: admin.email, displayName: admin.displayName, role: admin.role };
  await createUser(db, { email: 'staff@example.jp', displayName: '担当者', role: 'staff', password: 'Another-Long-Passphrase-7' }, { actor });
  await createUnit(db, actor, { name: '道路課', email: 'road@example.jp' });
  const ids: number[] = [];
  for (let n = 1; n <= 40; n++) {
    const created = await createOpinion(
      db,
      opinionInput(reportId, n, {
        body: n === 7 ? `${MARKER}を直してください。` : opinionInput(reportId, n).body,
        attachments: n % 10 === 0 ? [{ name: `photo${n}.jpg`, type: 'image/jpeg', size: 1234, sha256: `${n}`.padStart(64, 'a'), thumbnailSha256: null, width: 640, height: 480 }] : [],
      }),
    );
    ids.push(created.id);
  }
  await addNote(db, actor, ids[2], '現地を確認しました。');
  await changeOpinionStatus(db, actor, ids[3], 'in_progress');
  // An opinion marked as a duplicate of a later one: the copy must not trip on the forward reference.
  const later = await db.selectFrom('opinions').select('tracking_number').where('id', '=', ids[30]).executeTakeFirstOrThrow();
  await changeOpinionStatus(db, actor, ids[1], 'duplicate', { duplicateOfTrackingNumber: later.tracking_number });
  await saveReplyDraft(db, actor, ids[4], { body: 'ご意見ありがとうございます。段差を解消します。', showOpinion: false, redactedOpinion: null });
  await startSession(db, { key: 'session-key-for-the-copy-test-000000000000', replaces: null, userId: admin.id, at: new Date().toISOString() });
  await db.insertInto('settings').values({ key: 'copy-test', value: '設定値' }).execute();
  // A deleted opinion leaves a gap: ids on the copy must continue after it, not reuse it.
  const last = await createOpinion(db, opinionInput(reportId, 99));
  await db.deleteFrom('outbox_messages').where('opinion_id', '=', last.id).execute();
  await db.deleteFrom('opinions').where('id', '=', last.id).execute();
}

async function makeSqliteSource(): Promise<string> {
  const file = path.join(tempDir('ikenbako-copy-'), 'source.db');
  const { db } = openSqliteDatabase(file);
  await migrateToLatest(db);
  await seedOffice(db);
  await db.destroy();
  return file;
}

async function read<T>(target: string, use: (db: DB) => Promise<T>): Promise<T> {
  const { db } = openDatabase(target);
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

/** The copy equals the source table by table, and every data table was named as copied or checked. */
async function expectSameData(from: string, to: string, run: Run): Promise<void> {
  const [a, b] = [await read(from, snapshot), await read(to, snapshot)];
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const table of Object.keys(a)) expect(b[table], table).toEqual(a[table]);
  expect(a.opinions.length).toBe(40);
  expect(a.attachments.length).toBe(4);
  expect(a.opinion_notes.length).toBe(1);
  expect(a.official_replies.length).toBe(1);
  // A table a migration adds is copied or checked, or this fails.
  const named = new Set([...run.output.matchAll(/^\s*(\w+): \d+ rows (?:copied|already there|match|\(not in the source's schema\))/gm)].map((m) => m[1]));
  for (const table of await read(to, dataTables)) {
    if (table !== 'opinions_search_queue') expect(named, `${table} named in the output`).toContain(table);
  }
}

async function expectCopyWorks(target: string): Promise<void> {
  await read(target, async (db) => {
    // Ids continue after the highest the source ever gave (41 was given, then deleted).
    const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
    const created = await createOpinion(db, opinionInput(reportId, 200));
    expect(created.id).toBe(42);
    const found = await listOpinions(db, { q: MARKER });
    expect(found.rows.map((r) => r.body)).toEqual([`${MARKER}を直してください。`]);
  });
}

describe('db:copy SQLite → SQLite', () => {
  let source: string;
  const dir = tempDir('ikenbako-copy-');
  beforeAll(async () => {
    source = await makeSqliteSource();
  });

  it('copies every table, verified, and search and new ids work on the copy', async () => {
    const target = path.join(dir, 'copy.db');
    const run = await dbCopy(['--from', source, '--to', target]);
    expect(run.output).toMatch(/Done in/);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/opinions: 40 rows copied, sha256 [0-9a-f]{16} verified/);
    expect(run.output).toMatch(/opinions_search_queue: 40 opinions queued/);
    await expectSameData(source, target, run);
    await expectCopyWorks(target);

    // The copy now holds an opinion the source does not: it is refused, then replaced with --force.
    const refused = await dbCopy(['--from', source, '--to', target]);
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/The target is not empty and is not a partial copy of this source \(opinions: 41 rows/);
    expect(await read(target, (db) => db.selectFrom('opinions').select('id').execute())).toHaveLength(41);
    const forced = await dbCopy(['--from', source, '--to', target, '--force']);
    expect(forced.output).toMatch(/--force: emptying the target/);
    expect(forced.code).toBe(0);
    await expectSameData(source, target, forced);
    await expectCopyWorks(target);
  });

  it('completes on a second run after being killed halfway', async () => {
    const target = path.join(dir, 'interrupted.db');
    const killed = await dbCopy(['--from', source, '--to', target, '--batch-size', '4', '--throttle-ms', '150'], /opinions: 4\/40 rows/);
    expect(killed.signal).toBe('SIGKILL');
    // The tables before opinions were committed; opinions' own transaction was not.
    await read(target, async (db) => {
      expect(await db.selectFrom('users').select('id').execute()).toHaveLength(2);
      expect(await db.selectFrom('opinions').select('id').execute()).toHaveLength(0);
    });
    const resumed = await dbCopy(['--from', source, '--to', target, '--batch-size', '4']);
    expect(resumed.output).toMatch(/Resuming: \d+ table\(s\) already copied and verified/);
    expect(resumed.output).toMatch(/users: 2 rows already there/);
    expect(resumed.code).toBe(0);
    await expectSameData(source, target, resumed);
    await expectCopyWorks(target);
  });

  it('refuses what is not a copy between two databases', async () => {
    const same = await dbCopy(['--from', source, '--to', source]);
    expect(same.code).toBe(2);
    expect(same.output).toMatch(/name the same database/);
    const missing = await dbCopy(['--from', source]);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/Usage: npm run db:copy/);
  });
});

// On the PostgreSQL run (TEST_DATABASE_URL) only: the SQLite run has no server to copy to.
if (onPostgres) describe('db:copy SQLite → PostgreSQL → SQLite', () => {
  let source: string;
  const databases: string[] = [];
  beforeAll(async () => {
    source = await makeSqliteSource();
  });
  afterAll(async () => {
    for (const url of databases) await dropPostgresDatabase(url);
  });

  it('moves an office to PostgreSQL and back without a row changing', async () => {
    const pgUrl = await createPostgresDatabase();
    databases.push(pgUrl);
    const toPg = await dbCopy(['--from', source, '--to', pgUrl]);
    expect(toPg.output).toMatch(/Done in/);
    expect(toPg.code).toBe(0);
    expect(toPg.output).toMatch(/\(sqlite\) → postgres:\/\/[^ ]*:\*\*\*@/);
    await expectSameData(source, pgUrl, toPg);

    const back = path.join(tempDir('ikenbako-copy-'), 'back.db');
    const toSqlite = await dbCopy(['--from', pgUrl, '--to', back]);
    expect(toSqlite.code).toBe(0);
    await expectSameData(source, back, toSqlite);
    // Same rows, so the same digests on both engines.
    const digests = (run: Run) => [...run.output.matchAll(/^(\w+): \d+ rows copied, sha256 ([0-9a-f]+)/gm)].map((m) => `${m[1]}=${m[2]}`);
    expect(digests(toSqlite)).toEqual(digests(toPg));

    await expectCopyWorks(back);
    // PostgreSQL's sequences were moved past the copied ids, and search finds the opinion there too.
    await expectCopyWorks(pgUrl);
  });

  it('completes on PostgreSQL after being killed halfway, and refuses a non-empty target unless --force', async () => {
    const pgUrl = await createPostgresDatabase();
    databases.push(pgUrl);
    const killed = await dbCopy(['--from', source, '--to', pgUrl, '--batch-size', '4', '--throttle-ms', '150'], /opinions: 4\/40 rows/);
    expect(killed.signal).toBe('SIGKILL');
    await read(pgUrl, async (db) => {
      expect(await db.selectFrom('users').select('id').execute()).toHaveLength(2);
      expect(await db.selectFrom('opinions').select('id').execute()).toHaveLength(0);
    });
    const resumed = await dbCopy(['--from', source, '--to', pgUrl]);
    expect(resumed.output).toMatch(/Resuming: \d+ table\(s\) already copied and verified/);
    expect(resumed.code).toBe(0);
    await expectSameData(source, pgUrl, resumed);

    await read(pgUrl, (db) => db.updateTable('settings').set({ value: '変更' }).where('key', '=', 'copy-test').execute());
    const refused = await dbCopy(['--from', source, '--to', pgUrl]);
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/not a partial copy of this source \(settings: 1 rows/);
    const forced = await dbCopy(['--from', source, '--to', pgUrl, '--force']);
    expect(forced.code).toBe(0);
    await expectSameData(source, pgUrl, forced);
  });
});
