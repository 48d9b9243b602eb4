// The inbox's keyword search gives the same opinions on SQLite (FTS5 trigram,
// the grams index, LIKE) and PostgreSQL (escaped ILIKE over pg_trgm indexes)
// for the same data, and both give what reading every row gives: each term
// anywhere in the body, the name or the tracking number, letters of any case.
// The SQLite run has no PostgreSQL: it checks SQLite against that reading.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMatching, listOpinions } from '~/models/inbox.server';
import { importNotice } from '~/models/notices.server';
import { BackgroundWriter } from '~/server/db-background.server';
import { migrateToLatest, openDatabase, openSqliteDatabase, type DB } from '~/server/db.server';
import { searchTerms } from '~/utils/highlight';
import { BUNDLED_NOTICE_PATH, BUNDLED_SLUG, tempDir } from '../helpers/db';
import { createPostgresDatabase, dropPostgresDatabase, onPostgres } from '../helpers/postgres';

type Seed = { body: string; name: string | null };

const SEEDS: Seed[] = [
  { body: '駐車場が足りません。', name: '山田太郎' },
  { body: '駐輪場の屋根が壊れています。', name: null },
  { body: 'バス停の時刻表が見にくい。カタカナとひらがな。', name: null },
  { body: 'ゴミの日を増やしてください、ゴミが多いです。', name: '王' },
  { body: 'Wi-Fi を公園に。ABC とabc の違い。', name: 'Alice SMITH' },
  { body: '割引は50%です。', name: null },
  { body: '100% 完了_済み、file_name と filename。', name: 'bob_jones' },
  { body: 'パス C:\\data\\x を参照してください。', name: null },
  { body: 'ＡＢＣ全角と Ärger über Straßen.', name: 'Zoë' },
  { body: '子育て支援センターの予約（電話）が取りにくい。', name: 'みどり' },
  { body: 'Mixed CASE text: HeLLo WoRLD, 駐車 again.', name: 'mIxEd' },
];

const QUERIES = [
  '駐', '駐車', '駐車場', '場 駐', '足りません 駐車場', 'ゴミ', '王', 'カタ', 'かた', 'ひらがな',
  'abc', 'ABC', 'aBc', 'wi', 'WI-FI', 'smith', 'Alice smith', 'hello world', 'HELLO', 'mixed', 'x',
  '%', '50%', '0%', '_', 'e_n', '_済', 'file_name', 'filename', 'bob_', '\\', 'C:\\data', '\\x', ':\\', '%_',
  'ａｂｃ', 'ＡＢＣ', 'ａｂ', 'ärger', 'ÄRGER', 'über', 'straßen', 'zoë', 'ZOË',
  'sd-0001', 'SD-000', 'sd-001', '（電話）', '（電', '予約', '1', 'nothing-here', '"', 'a"b', 'NEAR(', 'AND',
];

const NOW = '2026-12-01T00:00:00.000Z';

/** Where each term is found, letters compared by `fold`: what reading every row finds. */
function readEveryRow(q: string, fold: (s: string) => string): string[] {
  const terms = searchTerms(q).map(fold);
  return SEEDS.map((s, i) => ({ ...s, trackingNumber: trackingNumber(i) }))
    .filter((s) => terms.every((t) => [s.body, s.name ?? '', s.trackingNumber].some((text) => fold(text).includes(t))))
    .map((s) => s.trackingNumber)
    .sort();
}
const unicodeFold = (s: string) => s.toLowerCase();
const asciiFold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

const trackingNumber = (i: number) => `SD-${String(i + 1).padStart(4, '0')}`;

async function seed(db: DB): Promise<void> {
  await migrateToLatest(db);
  await importNotice(db, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG);
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  for (const [i, s] of SEEDS.entries()) {
    const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
    await db
      .insertInto('opinions')
      .values({
        tracking_number: trackingNumber(i),
        receipt_token: `search-dialects-receipt-${i}-abcdef`,
        report_id: reportId,
        section_number: 1,
        body: s.body,
        name: s.name,
        channel: 'web',
        received_at: at,
        due_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
}

async function search(db: DB, q: string): Promise<{ found: string[]; count: number }> {
  const page = await listOpinions(db, { q }, NOW);
  const { count } = await countMatching(db, { q }, 10_000, NOW);
  return { found: page.rows.map((r) => r.trackingNumber).sort(), count };
}

let sqliteFile: string;
let sqlite: DB;
let postgres: { db: DB; url: string } | undefined;

beforeAll(async () => {
  sqliteFile = path.join(tempDir(), 'search.db');
  // No background writer yet: the opinions stay queued, as in the moment after storing.
  sqlite = openSqliteDatabase(sqliteFile).db;
  await seed(sqlite);
  if (onPostgres) {
    const url = await createPostgresDatabase();
    postgres = { db: openDatabase(url).db, url };
    await seed(postgres.db);
  }
});

afterAll(async () => {
  await sqlite?.destroy();
  if (postgres) {
    await postgres.db.destroy();
    await dropPostgresDatabase(postgres.url);
  }
});

describe('keyword search on both engines', () => {
  it('the test data covers every kind of term', () => {
    const lengths = new Set(QUERIES.flatMap((q) => searchTerms(q).map((t) => Math.min([...t].length, 3))));
    expect([...lengths].sort()).toEqual([1, 2, 3]);
    expect(QUERIES.some((q) => searchTerms(q).length > 1)).toBe(true);
    // Every query that finds something finds fewer than all: a broken search cannot pass as "all".
    for (const q of QUERIES) expect(readEveryRow(q, unicodeFold).length, q).toBeLessThan(SEEDS.length);
    expect(QUERIES.filter((q) => readEveryRow(q, unicodeFold).length > 0).length).toBeGreaterThan(40);
  });

  it('SQLite, just stored (read from the queue by LIKE), finds what reading every row finds', async () => {
    const queued = await sqlite.selectFrom('opinions_search_queue').select('opinion_id').execute();
    expect(queued).toHaveLength(SEEDS.length);
    for (const q of QUERIES) {
      // LIKE folds ASCII letters only; the indexes fold every letter. Queries
      // whose answer depends on that are compared once indexed (next test).
      if (readEveryRow(q, asciiFold).join() !== readEveryRow(q, unicodeFold).join()) continue;
      const expected = readEveryRow(q, unicodeFold);
      expect(await search(sqlite, q), q).toEqual({ found: expected, count: expected.length });
    }
  });

  it('SQLite, indexed (trigram and grams), finds what reading every row finds', async () => {
    // The server's background writer indexes the queue (its first round may do it before indexNow).
    const background = new BackgroundWriter(sqliteFile);
    await background.indexNow();
    await background.close();
    expect(await sqlite.selectFrom('opinions_search_queue').select('opinion_id').execute()).toEqual([]);
    for (const q of QUERIES) {
      const expected = readEveryRow(q, unicodeFold);
      expect(await search(sqlite, q), q).toEqual({ found: expected, count: expected.length });
    }
  });

  // The PostgreSQL run (npm run test:pg) has a server to compare with.
  if (onPostgres) it('PostgreSQL finds exactly what SQLite finds', async () => {
    for (const q of QUERIES) {
      const [onSqlite, onPg] = [await search(sqlite, q), await search(postgres!.db, q)];
      expect(onPg, q).toEqual(onSqlite);
      expect(onPg.found, q).toEqual(readEveryRow(q, unicodeFold));
    }
  });
});
