// The API migration rebuilds the opinions table to allow the 'hotline'
// channel: rows, ids, indexes, triggers, full-text search and the foreign keys
// that point at opinions must all come through it.
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../db/migrations/index';
import { importNotice } from '~/models/notices.server';
import { openSqliteDatabase, type DB } from '~/server/db.server';
import { BUNDLED_NOTICE_PATH, BUNDLED_SLUG, tempDir } from '../helpers/db';

let db: DB;
let sqlite: ReturnType<typeof openSqliteDatabase>['sqlite'];
let indexesBefore: string[];
let triggersBefore: string[];

function opinionRow(n: number, reportId: number) {
  const at = new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString();
  return {
    tracking_number: `XZ-2026-AAAA-${String(n).padStart(4, '0')}`,
    receipt_token: `receipt-token-${n}-abcdefghijkl`,
    report_id: reportId,
    section_number: 2,
    item_number: 1,
    body: `移行前の意見その${n}。河川の清掃をお願いします。`,
    name: n === 1 ? '移行太郎' : null,
    email: null,
    phone: null,
    channel: 'phone',
    received_at: at,
    due_at: at,
    created_at: at,
    updated_at: at,
  };
}

async function names(type: 'index' | 'trigger'): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from sqlite_schema where tbl_name = 'opinions' and type = ${type} order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

beforeAll(async () => {
  ({ db, sqlite } = openSqliteDatabase(path.join(tempDir(), 'migrate.db')));
  const migrator = new Migrator({ db, provider: migrationProvider });
  const before = await migrator.migrateTo('2026-11-27-0003-fts-automerge');
  expect(before.error).toBeUndefined();
  await importNotice(db, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG);
  const report = await db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
  await db.insertInto('opinions').values([1, 2, 3].map((n) => opinionRow(n, report.id)) as never).execute();
  // A gap at the top of the ids: AUTOINCREMENT must not hand out 3 again.
  await db.deleteFrom('opinions').where('id', '=', 3).execute();
  const user = await db
    .insertInto('users')
    .values({ email: 'm@example.jp', display_name: 'm', role: 'admin', password_hash: 'x', created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('opinion_notes').values({ opinion_id: 2, author_id: user.id, body: 'メモ', created_at: new Date().toISOString() }).execute();
  indexesBefore = await names('index');
  triggersBefore = await names('trigger');

  // Only up to the migration under test: later ones add indexes and defer indexing.
  const after = await migrator.migrateTo('2026-12-01-0004-api-tokens');
  expect(after.error).toBeUndefined();
  expect(after.results?.map((r) => r.migrationName)).toContain('2026-12-01-0004-api-tokens');
});
afterAll(async () => {
  await db?.destroy();
});

describe('migration 2026-12-01-0004-api-tokens', () => {
  it('keeps every opinion with its id, and the notes that point at them', async () => {
    const rows = await db.selectFrom('opinions').select(['id', 'tracking_number', 'name']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 1, tracking_number: 'XZ-2026-AAAA-0001', name: '移行太郎' },
      { id: 2, tracking_number: 'XZ-2026-AAAA-0002', name: null },
    ]);
    const notes = await db.selectFrom('opinion_notes').select('opinion_id').execute();
    expect(notes).toEqual([{ opinion_id: 2 }]);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('puts back the indexes and the full-text triggers', async () => {
    expect(await names('index')).toEqual(indexesBefore);
    expect(await names('trigger')).toEqual(triggersBefore);
    expect(triggersBefore.length).toBeGreaterThanOrEqual(3);
    const hits = await sql<{ rowid: number }>`select rowid from opinions_fts where opinions_fts match ${'"移行太郎"'}`.execute(db);
    expect(hits.rows.map((r) => r.rowid)).toEqual([1]);
  });

  it("accepts the 'hotline' channel, still refuses unknown ones, and never reuses a deleted id", async () => {
    const report = await db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
    const hotline = { ...opinionRow(4, report.id), channel: 'hotline', body: 'ホットラインで受けた意見です。移行後に登録。' };
    const inserted = await db.insertInto('opinions').values(hotline as never).returning('id').executeTakeFirstOrThrow();
    expect(inserted.id).toBe(4);
    const hits = await sql<{ rowid: number }>`select rowid from opinions_fts where opinions_fts match ${'"移行後に登録"'}`.execute(db);
    expect(hits.rows.map((r) => r.rowid)).toEqual([4]);
    await expect(
      db.insertInto('opinions').values({ ...opinionRow(5, report.id), channel: 'fax' } as never).execute(),
    ).rejects.toThrow(/CHECK constraint failed/);
  });

  it('creates the token and idempotency tables', async () => {
    const tables = await sql<{ name: string }>`select name from sqlite_schema where type = 'table' and name like 'api_%' order by name`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(['api_idempotency_keys', 'api_tokens']);
  });
});
