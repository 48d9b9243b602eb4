// preparedQuery builds and compiles a query once per dialect and runs it with
// each call's values in the stand-ins' places. Runs on SQLite and in `npm run test:pg`.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedQuery } from '~/server/prepared-query.server';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ withNotice: false });
});
afterAll(() => t.close());

const insertHit = preparedQuery((db, row: { key: string; count: number; resets_at: string }) =>
  db.insertInto('rate_limits').values(row).returning(['key', 'count'])
);
// A constant (the prefix) beside the values, a value used twice, and a null compared safely.
const findHits = preparedQuery((db, p: { prefix: string; least: number; resetsAt: string | null }) =>
  db
    .selectFrom('rate_limits')
    .select(['key', 'count'])
    .where('key', 'like', sql<string>`${'pq:'} || ${p.prefix} || '%'`)
    .where('count', '>=', p.least)
    .where(sql<boolean>`(cast(${p.resetsAt} as text) is null or resets_at = ${p.resetsAt})`)
    .orderBy('key')
);

describe('preparedQuery', () => {
  it('runs with each call’s values, whatever order their names come in', async () => {
    expect((await insertHit(t.db, { key: 'pq:a1', count: 1, resets_at: '2026-12-05T00:00:00.000Z' })).rows).toEqual([
      { key: 'pq:a1', count: 1 },
    ]);
    expect((await insertHit(t.db, { resets_at: '2026-12-06T00:00:00.000Z', count: 5, key: 'pq:a2' })).rows).toEqual([
      { key: 'pq:a2', count: 5 },
    ]);
    expect((await insertHit(t.db, { count: 9, key: 'pq:b1', resets_at: '2026-12-06T00:00:00.000Z' })).rows).toEqual([
      { key: 'pq:b1', count: 9 },
    ]);
    const rows = await t.db
      .selectFrom('rate_limits')
      .select(['key', 'count', 'resets_at'])
      .where('key', 'like', 'pq:%')
      .orderBy('key')
      .execute();
    expect(rows).toEqual([
      { key: 'pq:a1', count: 1, resets_at: '2026-12-05T00:00:00.000Z' },
      { key: 'pq:a2', count: 5, resets_at: '2026-12-06T00:00:00.000Z' },
      { key: 'pq:b1', count: 9, resets_at: '2026-12-06T00:00:00.000Z' },
    ]);
  });

  it('keeps the constants it was built with and puts a value used twice in both places', async () => {
    expect((await findHits(t.db, { prefix: 'a', least: 0, resetsAt: null })).rows.map((r) => r.key)).toEqual([
      'pq:a1',
      'pq:a2',
    ]);
    expect((await findHits(t.db, { prefix: 'a', least: 2, resetsAt: null })).rows.map((r) => r.key)).toEqual(['pq:a2']);
    expect(
      (await findHits(t.db, { prefix: '', least: 0, resetsAt: '2026-12-06T00:00:00.000Z' })).rows.map((r) => r.key)
    ).toEqual(['pq:a2', 'pq:b1']);
    expect((await findHits(t.db, { prefix: 'b', least: 10, resetsAt: null })).rows).toEqual([]);
  });

  it('runs inside a transaction on the transaction’s connection', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await insertHit(trx, { key: 'pq:c1', count: 2, resets_at: '2026-12-07T00:00:00.000Z' });
        expect((await findHits(trx, { prefix: 'c', least: 0, resetsAt: null })).rows).toEqual([
          { key: 'pq:c1', count: 2 },
        ]);
        throw new Error('roll it back');
      })
    ).rejects.toThrow('roll it back');
    expect((await findHits(t.db, { prefix: 'c', least: 0, resetsAt: null })).rows).toEqual([]);
  });
});
