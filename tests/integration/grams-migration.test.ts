// Migration 2026-12-05-0001 on a database that already holds opinions, some
// indexed and one still queued: the grams index is made again without
// positions and holds every indexed opinion's grams, the queued one stays
// queued and is indexed into the new table, edits replace grams (a delete by
// rowid on the new table), and the way back restores positions with the
// same contents.
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../db/migrations/index';
import { listOpinions } from '~/models/inbox.server';
import { importNotice } from '~/models/notices.server';
import { openDatabase, openServerDatabase, type DB } from '~/server/db.server';
import { BUNDLED_NOTICE_PATH, BUNDLED_SLUG, tempDir } from '../helpers/db';

const BEFORE = '2026-12-04-0001-ack-mailbox-key';
const file = path.join(tempDir(), 'grams-migration.db');
let seq = 0;
let reportId = 0;

function row(body: string, name: string | null = null) {
  seq++;
  const at = new Date(Date.UTC(2026, 10, 1) + seq * 3600_000).toISOString();
  return {
    tracking_number: `GM-${String(seq).padStart(4, '0')}`,
    receipt_token: `grams-migration-receipt-${seq}-abcdef`,
    report_id: reportId,
    section_number: 1,
    body,
    name,
    channel: 'web',
    status: 'new',
    received_at: at,
    due_at: at,
    created_at: at,
    updated_at: at,
  };
}

/** Opens the file as the server does (reads, the write connection, the background indexer). */
async function withServerDb<T>(run: (server: ReturnType<typeof openServerDatabase>) => Promise<T>): Promise<T> {
  const server = openServerDatabase(file);
  try {
    return await run(server);
  } finally {
    await server.db.destroy();
  }
}

/** Migrates with a plain connection, as `npm run db:migrate` does. */
async function migrateTo(target: string | 'latest'): Promise<void> {
  const { db } = openDatabase(file);
  try {
    const migrator = new Migrator({ db, provider: migrationProvider });
    const { error } = target === 'latest' ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
    expect(error).toBeUndefined();
  } finally {
    await db.destroy();
  }
}

const gramsSql = (db: DB) =>
  sql<{ sql: string }>`select sql from sqlite_master where name = 'opinions_grams'`.execute(db).then((r) => r.rows[0].sql);
/** The ids the grams index itself holds for a term (no queue, no text). */
const inGrams = (db: DB, term: string) =>
  sql<{ id: number }>`select rowid as id from opinions_grams where opinions_grams match ${`"${term}"`} order by rowid`
    .execute(db)
    .then((r) => r.rows.map((x) => x.id));
const found = async (db: DB, q: string) =>
  (await listOpinions(db, { q }, '2026-12-01T00:00:00.000Z')).rows.map((r) => r.trackingNumber).sort();
const queued = (db: DB) => db.selectFrom('opinions_search_queue').select('opinion_id').execute().then((r) => r.map((x) => x.opinion_id));

let indexed: number[] = [];
let waiting = 0;

beforeAll(async () => {
  await migrateTo(BEFORE);
  const { db } = openDatabase(file);
  await importNotice(db, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG);
  reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const ids = await db
    .insertInto('opinions')
    .values([row('公民館の鍵が壊れています。'), row('堤防の草刈りをお願いします。', '王'), row('鍵の受け渡しの窓口はどこですか。')] as never)
    .returning('id')
    .execute();
  await db.destroy();
  indexed = ids.map((r) => r.id);
  await withServerDb(async (server) => {
    await server.background!.indexNow();
    expect(await queued(server.db)).toEqual([]);
  });
  // Stored after indexing, through a plain connection (no background writer
  // runs from here until the tests open the database again): still queued
  // when the migration runs.
  const check = openDatabase(file);
  const late = await check.db.insertInto('opinions').values(row('橋の鍵のかかった門。') as never).returning('id').executeTakeFirstOrThrow();
  waiting = late.id;
  expect(await queued(check.db)).toEqual([waiting]);
  expect(await gramsSql(check.db)).not.toMatch(/detail\s*=\s*none/);
  expect(await inGrams(check.db, '鍵')).toEqual([indexed[0], indexed[2]]);
  await check.db.destroy();
  await migrateTo('latest');
});
afterAll(() => {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

describe('migration 2026-12-05-0001-grams-without-positions', () => {
  it('makes the grams index again without positions, holding every indexed opinion and not the queued one', async () => {
    // A plain connection: no background writer to index the queued opinion meanwhile.
    const { db } = openDatabase(file);
    try {
      expect(await gramsSql(db)).toMatch(/detail\s*=\s*none/);
      expect(await inGrams(db, '鍵')).toEqual([indexed[0], indexed[2]]);
      expect(await inGrams(db, '草刈')).toEqual([indexed[1]]);
      expect(await inGrams(db, '王')).toEqual([indexed[1]]);
      expect(await queued(db)).toEqual([waiting]);
      // The search finds the queued one by its text and the others through the index.
      expect(await found(db, '鍵')).toEqual(['GM-0001', 'GM-0003', 'GM-0004']);
      await sql`insert into opinions_grams(opinions_grams, rank) values ('integrity-check', 0)`.execute(db);
    } finally {
      await db.destroy();
    }
  });

  it('indexes the queued opinion into the new table, and an edit replaces its grams', async () => {
    await withServerDb(async ({ db, background }) => {
      await background!.indexNow();
      expect(await queued(db)).toEqual([]);
      expect(await inGrams(db, '鍵')).toEqual([indexed[0], indexed[2], waiting]);
      await db.updateTable('opinions').set({ body: '公民館の扉が壊れています。' }).where('id', '=', indexed[0]).execute();
      await background!.indexNow();
      expect(await inGrams(db, '鍵')).toEqual([indexed[2], waiting]);
      expect(await inGrams(db, '扉')).toEqual([indexed[0]]);
      expect(await found(db, '鍵')).toEqual(['GM-0003', 'GM-0004']);
      await db.deleteFrom('opinions').where('id', '=', indexed[2]).execute();
      expect(await inGrams(db, '鍵')).toEqual([waiting]);
    });
  });

  it('goes back to an index with positions, holding the same opinions', async () => {
    await migrateTo(BEFORE);
    await withServerDb(async ({ db }) => {
      expect(await gramsSql(db)).not.toMatch(/detail\s*=\s*none/);
      expect(await inGrams(db, '鍵')).toEqual([waiting]);
      expect(await inGrams(db, '扉')).toEqual([indexed[0]]);
      expect(await inGrams(db, '王')).toEqual([indexed[1]]);
    });
  });
});
