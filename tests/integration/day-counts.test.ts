// opinion_day_counts (migration 2026-12-06-0002): opinions per office day
// (Asia/Shanghai) and channel, kept by triggers on SQLite and PostgreSQL alike,
// from which the dashboard sums its channels and weeks. The table always equals
// a count of the opinions themselves, across the office's midnight (16:00 UTC),
// edits of the date or the channel, deletions and the migration's own backfill.
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../db/migrations/index';
import { getDashboard } from '~/models/dashboard.server';
import { SerialIdsPlugin } from '~/server/db-postgres.server';
import type { DB } from '~/server/db.server';
import { toLocalDay } from '~/utils/local-time';
import { createTestDb, type TestDb } from '../helpers/db';
import { onPostgres } from '../helpers/postgres';

let t: TestDb;
let db: DB;
let reportId: number;
let seq = 0;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await t.close();
});

async function insert(receivedAt: string, channel: string): Promise<number> {
  seq++;
  const { id } = await db
    .insertInto('opinions')
    .values({
      tracking_number: `DC-${String(seq).padStart(4, '0')}`,
      receipt_token: `day-counts-receipt-token-${seq}`,
      report_id: reportId,
      section_number: 1,
      body: `日ごとの件数 ${seq}`,
      channel,
      received_at: receivedAt,
      due_at: receivedAt,
      created_at: receivedAt,
      updated_at: receivedAt,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The table, zero counts left out, as "day channel n" lines. */
async function kept(): Promise<string[]> {
  const rows = await db.selectFrom('opinion_day_counts').select(['day', 'channel', 'n']).execute();
  return rows.filter((r) => Number(r.n) !== 0).map((r) => `${r.day} ${r.channel} ${Number(r.n)}`).sort();
}

/** The same, counted from the opinions in JavaScript. */
async function recounted(): Promise<string[]> {
  const rows = await db.selectFrom('opinions').select(['received_at', 'channel']).execute();
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = `${toLocalDay(r.received_at)} ${r.channel}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} ${n}`).sort();
}

describe('opinion_day_counts', () => {
  const ids: Record<string, number> = {};

  it('counts an opinion on its office day: 15:59:59.999 and 16:00 UTC are two days apart in Shanghai', async () => {
    ids.lastOfDay = await insert('2026-11-29T15:59:59.999Z', 'web');
    ids.firstOfNext = await insert('2026-11-29T16:00:00.000Z', 'web');
    ids.phone = await insert('2026-11-30T01:00:00.000Z', 'phone');
    expect(await kept()).toEqual(['2026-11-29 web 1', '2026-11-30 phone 1', '2026-11-30 web 1']);
    expect(await kept()).toEqual(await recounted());
  });

  it('moves the count when the received time or the channel is corrected, and not for other edits', async () => {
    await db.updateTable('opinions').set({ received_at: '2026-11-28T03:00:00.000Z' }).where('id', '=', ids.lastOfDay).execute();
    await db.updateTable('opinions').set({ channel: 'post' }).where('id', '=', ids.phone).execute();
    await db.updateTable('opinions').set({ body: '本文だけ直した' }).where('id', '=', ids.firstOfNext).execute();
    // The same office day, another hour: nothing moves.
    await db.updateTable('opinions').set({ received_at: '2026-11-30T02:00:00.000Z' }).where('id', '=', ids.phone).execute();
    expect(await kept()).toEqual(['2026-11-28 web 1', '2026-11-30 post 1', '2026-11-30 web 1']);
    expect(await kept()).toEqual(await recounted());
  });

  it('takes a deleted opinion out', async () => {
    await db.deleteFrom('opinions').where('id', '=', ids.firstOfNext).execute();
    expect(await kept()).toEqual(['2026-11-28 web 1', '2026-11-30 post 1']);
    expect(await kept()).toEqual(await recounted());
  });

  it('gives the dashboard its channels and Monday-to-Sunday weeks in Shanghai', async () => {
    // Sunday 2026-11-29 23:59 and Monday 2026-11-30 00:00 in Shanghai.
    await insert('2026-11-29T15:59:00.000Z', 'visit');
    await insert('2026-11-29T16:00:00.000Z', 'visit');
    const d = await getDashboard(db, new Date('2026-12-02T04:00:00.000Z'));
    expect(d.byWeek.at(-1)).toEqual({ weekStart: '2026-11-30', count: 2 }); // post (11-30) + visit (Mon 00:00)
    expect(d.byWeek.at(-2)).toEqual({ weekStart: '2026-11-23', count: 2 }); // web (11-28) + visit (Sun 23:59)
    expect(d.byWeek.reduce((n, w) => n + w.count, 0)).toBe(4);
    expect(d.byChannel.find((c) => c.channel === 'visit')?.count).toBe(2);
    expect(d.byChannel.find((c) => c.channel === 'post')?.count).toBe(1);
    expect(d.byChannel.find((c) => c.channel === 'phone')?.count).toBe(0);
    expect(d.total).toBe(4);
  });

  it('is filled from the opinions already stored when the migration runs', async () => {
    const migrator = new Migrator({ db: onPostgres ? db.withPlugin(new SerialIdsPlugin()) : db, provider: migrationProvider });
    expect((await migrator.migrateTo('2026-12-06-0001-fts-crisismerge')).error).toBeUndefined();
    // Stored while the table is not there.
    await insert('2026-12-01T17:30:00.000Z', 'phone');
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await kept()).toEqual(await recounted());
    expect(await kept()).toContain('2026-12-02 phone 1');
  });
});
