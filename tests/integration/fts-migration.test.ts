// Migration 2026-12-02-0003 on a database that already holds opinions: every
// one is queued (and out of the trigram index), searches find them by their
// text until the background writer has indexed them, and the per-status
// counts start right and stay right through inserts, edits and deletes.
import path from 'node:path';
import fs from 'node:fs';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../db/migrations/index';
import { countByStatus, countOverdue, listOpinions } from '~/models/inbox.server';
import { importNotice } from '~/models/notices.server';
import { openDatabase, openServerDatabase, type DB } from '~/server/db.server';
import { BUNDLED_NOTICE_PATH, BUNDLED_SLUG, tempDir } from '../helpers/db';

const file = path.join(tempDir(), 'fts-migration.db');
let db: DB;
let server: ReturnType<typeof openServerDatabase>;
let seq = 0;

function row(reportId: number, body: string, status: string, dueAt: string) {
  seq++;
  const at = new Date(Date.UTC(2026, 9, 1) + seq * 3600_000).toISOString();
  return {
    tracking_number: `FM-${String(seq).padStart(4, '0')}`,
    receipt_token: `fts-migration-receipt-${seq}-abcdef`,
    report_id: reportId,
    section_number: 1,
    body,
    channel: 'web',
    status,
    received_at: at,
    due_at: dueAt,
    created_at: at,
    updated_at: at,
  };
}

beforeAll(async () => {
  const before = openDatabase(file);
  const migrator = new Migrator({ db: before.db, provider: migrationProvider });
  expect((await migrator.migrateTo('2026-12-01-0004-api-tokens')).error).toBeUndefined();
  await importNotice(before.db, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG);
  const report = await before.db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
  await before.db
    .insertInto('opinions')
    .values([
      row(report.id, '移行前からある意見、堤防の草刈り。', 'new', '2026-10-10T15:59:59.999Z'),
      row(report.id, '移行前からある意見、公民館の鍵。', 'closed', '2026-10-11T15:59:59.999Z'),
      row(report.id, '移行前からある意見、給食の献立。', 'triaged', '2099-01-01T15:59:59.999Z'),
    ] as never)
    .execute();
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  await before.db.destroy();
  server = openServerDatabase(file);
  db = server.db;
});
afterAll(async () => {
  await db?.destroy();
});

const NOW = '2026-12-01T04:00:00.000Z';
const found = async (q: string) => (await listOpinions(db, { q }, NOW)).rows.map((r) => r.trackingNumber).sort();

describe('migration 2026-12-02-0003-deferred-search-index', () => {
  it('queues every existing opinion and finds them by their text before and after indexing', async () => {
    // The background thread may already be at work: either way every opinion is found.
    expect(await found('移行前から')).toEqual(['FM-0001', 'FM-0002', 'FM-0003']);
    expect(await found('鍵')).toEqual(['FM-0002']);
    await server.background!.indexNow();
    expect(await db.selectFrom('opinions_search_queue').select('opinion_id').execute()).toEqual([]);
    expect(await found('移行前から')).toEqual(['FM-0001', 'FM-0002', 'FM-0003']);
    expect(await found('鍵')).toEqual(['FM-0002']);
    await sql`insert into opinions_fts(opinions_fts, rank) values ('integrity-check', 1)`.execute(db);
  });

  it('counts per status and overdue from the kept counts, through inserts, edits and deletes', async () => {
    const exact = async () => {
      const rows = await db.selectFrom('opinions').select(['status', 'due_at']).execute();
      const byStatus: Record<string, number> = {};
      for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      const overdue = rows.filter((r) => r.due_at < NOW && ['new', 'triaged', 'in_progress'].includes(r.status)).length;
      return { byStatus, overdue };
    };
    const kept = async () => {
      const counts = await countByStatus(db, {}, NOW);
      return { byStatus: Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)), overdue: await countOverdue(db, NOW) };
    };
    expect(await kept()).toEqual(await exact());

    const report = await db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
    // Due earlier today (UTC) and already past: counted from the index, not the kept counts.
    await db.insertInto('opinions').values(row(report.id, '今日が期限の意見。', 'in_progress', '2026-12-01T01:00:00.000Z') as never).execute();
    await db.updateTable('opinions').set({ status: 'answered' }).where('tracking_number', '=', 'FM-0001').execute();
    await db.updateTable('opinions').set({ due_at: '2026-09-01T15:59:59.999Z' }).where('tracking_number', '=', 'FM-0003').execute();
    await db.deleteFrom('opinions').where('tracking_number', '=', 'FM-0002').execute();
    expect(await kept()).toEqual(await exact());
    expect((await exact()).overdue).toBe(2);
  });

  it('keeps the per-section counts of the table of contents through inserts, moves and deletes', async () => {
    const exact = () =>
      db
        .selectFrom('opinions')
        .select(['report_id', 'section_number', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['report_id', 'section_number'])
        .orderBy('section_number')
        .execute();
    const kept = () =>
      db.selectFrom('opinion_section_counts').select(['report_id', 'section_number', 'n']).where('n', '>', 0).orderBy('section_number').execute();
    expect(await kept()).toEqual(await exact());
    const report = await db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
    await db.insertInto('opinions').values(row(report.id, '第一項への意見、もう一件。', 'new', '2099-01-01T15:59:59.999Z') as never).execute();
    await db.updateTable('opinions').set({ section_number: 3 }).where('tracking_number', '=', 'FM-0003').execute();
    await db.deleteFrom('opinions').where('tracking_number', '=', 'FM-0001').execute();
    expect(await kept()).toEqual(await exact());
    expect((await kept()).map((r) => r.section_number)).toEqual([1, 3]);
  });
});
