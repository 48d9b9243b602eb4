// The inbox queries against a real migrated SQLite file: filters, paging,
// counts per status, and Japanese search on both paths (trigram FTS for 3+
// characters, LIKE for 1–2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, NewOpinion, OpinionStatus } from '../../db/schema';
import {
  countByStatus,
  countInbox,
  countMatching,
  INBOX_PAGE_SIZE,
  listOpinions,
  listOpinionsAfter,
  listOverdueOpinions,
} from '~/models/inbox.server';
import { getDashboard, shanghaiWeekStart } from '~/models/dashboard.server';
import { median } from '~/models/opinion-counts.server';
import { parseInboxFilters } from '~/schemas/inbox-filters';
import type { DB } from '~/server/db.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let db: DB;
let reportId: number;
let unitId: number;
let seq = 0;

const NOW = '2026-11-27T04:00:00.000Z'; // 12:00 in Shanghai

async function insertOpinion(values: Partial<NewOpinion> & { body: string }): Promise<number> {
  seq += 1;
  const received = values.received_at ?? new Date(Date.parse('2026-10-01T00:00:00Z') + seq * 3600_000).toISOString();
  const row = await db
    .insertInto('opinions')
    .values({
      tracking_number: `T-${String(seq).padStart(5, '0')}`,
      receipt_token: `receipt-token-${seq}-abcdefgh`,
      report_id: reportId,
      section_number: 1,
      item_number: null,
      channel: 'web' as Channel,
      due_at: '2026-12-31T00:00:00.000Z',
      created_at: received,
      updated_at: received,
      ...values,
      received_at: received,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  unitId = (
    await db
      .insertInto('units')
      .values({ name: '交通課', email: 'koutsu@example.jp', retired_at: null, created_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  // 60 filler opinions so that paging has two pages.
  for (let i = 0; i < 60; i++) {
    await insertOpinion({ body: `道路の清掃についての意見です。番号${i}`, section_number: 2, item_number: 1 });
  }
  ids.parking = await insertOpinion({
    body: '駐車場の案内表示が分かりにくいので改善してください。',
    name: '山田太郎',
    section_number: 3,
    item_number: 2,
    channel: 'phone',
    status: 'triaged',
    unit_id: unitId,
    received_at: '2026-11-20T01:00:00.000Z',
    due_at: '2026-11-25T00:00:00.000Z', // past NOW → overdue
  });
  ids.parkingAnswered = await insertOpinion({
    body: '駐輪場と駐車の区別をはっきりさせてほしい。',
    section_number: 3,
    status: 'answered',
    received_at: '2026-11-21T01:00:00.000Z',
    due_at: '2026-11-22T00:00:00.000Z', // past, but answered → not overdue
  });
  ids.quote = await insertOpinion({
    body: 'He said "NEAR(x y)" and 100% agreed_with it. ABC def',
    channel: 'post',
    received_at: '2026-11-22T17:00:00.000Z', // 2026-11-23 01:00 in Shanghai
  });
  ids.named = await insertOpinion({ body: '歩道の段差を直してください。お願いします。', name: '駐在さん', section_number: 0 });
});

afterAll(async () => {
  await t?.close();
});

describe('listOpinions', () => {
  it('pages 50 at a time, newest received first', async () => {
    const first = await listOpinions(db, {}, NOW);
    expect(first.rows).toHaveLength(INBOX_PAGE_SIZE);
    expect(first.hasNext).toBe(true);
    const received = first.rows.map((r) => r.receivedAt);
    expect([...received].sort().reverse()).toEqual(received);
    expect(first.rows[0].id).toBe(ids.quote);
    const second = await listOpinions(db, { page: 2 }, NOW);
    expect(second.hasNext).toBe(false);
    expect(second.rows).toHaveLength(64 - INBOX_PAGE_SIZE);
    const all = new Set([...first.rows, ...second.rows].map((r) => r.id));
    expect(all.size).toBe(64);
  });

  it('filters by section, item, status, channel, unit and received date (Asia/Shanghai days)', async () => {
    expect((await listOpinions(db, { section: 3 }, NOW)).rows.map((r) => r.id).sort()).toEqual([ids.parking, ids.parkingAnswered].sort());
    expect((await listOpinions(db, { section: 3, item: 2 }, NOW)).rows.map((r) => r.id)).toEqual([ids.parking]);
    expect((await listOpinions(db, { status: 'answered' }, NOW)).rows.map((r) => r.id)).toEqual([ids.parkingAnswered]);
    expect((await listOpinions(db, { channel: 'post' }, NOW)).rows.map((r) => r.id)).toEqual([ids.quote]);
    expect((await listOpinions(db, { unitId }, NOW)).rows.map((r) => r.id)).toEqual([ids.parking]);
    expect((await listOpinions(db, { reportId: reportId + 1000 }, NOW)).rows).toEqual([]);
    // 17:00 UTC on the 22nd is already the 23rd in Shanghai.
    expect((await listOpinions(db, { from: '2026-11-23', to: '2026-11-23' }, NOW)).rows.map((r) => r.id)).toEqual([ids.quote]);
    expect((await listOpinions(db, { from: '2026-11-22', to: '2026-11-22' }, NOW)).rows).toEqual([]);
    const range = await listOpinions(db, { from: '2026-11-20', to: '2026-11-21' }, NOW);
    expect(range.rows.map((r) => r.id)).toEqual([ids.parkingAnswered, ids.parking]);
    expect(range.rows[1].unitName).toBe('交通課');
  });

  it('lists only open opinions past their deadline as overdue', async () => {
    const overdue = await listOpinions(db, { overdue: true }, NOW);
    expect(overdue.rows.map((r) => r.id)).toEqual([ids.parking]);
    expect(overdue.rows[0].overdue).toBe(true);
    const answered = (await listOpinions(db, { status: 'answered' }, NOW)).rows[0];
    expect(answered.overdue).toBe(false);
    expect((await listOverdueOpinions(db, 10, NOW)).map((r) => r.id)).toEqual([ids.parking]);
  });
});

describe('search', () => {
  it('finds 3+ character Japanese terms through the trigram index, with highlights', async () => {
    const result = await listOpinions(db, { q: '駐車場' }, NOW);
    expect(result.rows.map((r) => r.id)).toEqual([ids.parking]);
    const marked = result.rows[0].highlights.body.filter((p) => p.match).map((p) => p.text);
    expect(marked).toEqual(['駐車場']);
    expect(result.rows[0].highlights.body.map((p) => p.text).join('')).toContain('案内表示');
  });

  it('finds 2-character and 1-character terms through LIKE (trigram cannot)', async () => {
    const two = await listOpinions(db, { q: '駐車' }, NOW);
    expect(two.rows.map((r) => r.id).sort()).toEqual([ids.parking, ids.parkingAnswered].sort());
    const one = await listOpinions(db, { q: '駐' }, NOW);
    expect(one.rows.map((r) => r.id).sort()).toEqual([ids.parking, ids.parkingAnswered, ids.named].sort());
    const named = one.rows.find((r) => r.id === ids.named)!;
    expect(named.highlights.name).toEqual([
      { text: '駐', match: true },
      { text: '在さん', match: false },
    ]);
  });

  it('searches the name and the tracking number too', async () => {
    expect((await listOpinions(db, { q: '山田太郎' }, NOW)).rows.map((r) => r.id)).toEqual([ids.parking]);
    const byNumber = await listOpinions(db, { q: 'T-00061' }, NOW);
    expect(byNumber.rows.map((r) => r.id)).toEqual([ids.parking]);
    expect(byNumber.rows[0].highlights.trackingNumber).toEqual([{ text: 'T-00061', match: true }]);
  });

  it('combines search with filters and counts matches per status', async () => {
    expect((await listOpinions(db, { q: '駐車', status: 'answered' }, NOW)).rows.map((r) => r.id)).toEqual([ids.parkingAnswered]);
    const counts = await countByStatus(db, { q: '駐車' }, NOW);
    expect(counts).toMatchObject({ triaged: 1, answered: 1, new: 0 });
    expect(await countMatching(db, { q: '駐車' }, 10_000, NOW)).toEqual({ count: 2, capped: false });
    expect(await countMatching(db, {}, 10, NOW)).toEqual({ count: 10, capped: true });
  });

  it('says when a filtered view stopped counting at its cap, and never without filters', async () => {
    const exact = await countInbox(db, {}, NOW, 2);
    expect(exact.capped).toBe(false);
    expect(Object.values(exact.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
    const stopped = await countInbox(db, { channel: 'web' }, NOW, 2);
    expect(stopped.capped).toBe(true);
    expect(Object.values(stopped.counts).reduce((a, b) => a + b, 0)).toBe(3);
    expect((await countInbox(db, { q: '駐車' }, NOW, 2)).capped).toBe(false);
  });

  it('takes FTS syntax and LIKE wildcards literally, without errors', async () => {
    for (const q of ['"', 'NEAR(', 'NEAR(x y)', '"NEAR(x y)"', 'AND OR NOT', '*', 'a*', '^駐車', '駐車場"', "'; drop table opinions; --", '(', ')']) {
      await expect(listOpinions(db, { q }, NOW), q).resolves.toBeDefined();
      await expect(countByStatus(db, { q }, NOW), q).resolves.toBeDefined();
    }
    expect((await listOpinions(db, { q: '"NEAR(x y)"' }, NOW)).rows.map((r) => r.id)).toEqual([ids.quote]);
    expect((await listOpinions(db, { q: 'NEAR(x' }, NOW)).rows.map((r) => r.id)).toEqual([ids.quote]);
    // % and _ are characters, not wildcards.
    expect((await listOpinions(db, { q: '%' }, NOW)).rows.map((r) => r.id)).toEqual([ids.quote]);
    expect((await listOpinions(db, { q: '_' }, NOW)).rows.map((r) => r.id)).toEqual([ids.quote]);
    // Case-insensitive on both paths.
    expect((await listOpinions(db, { q: 'abc DEF' }, NOW)).rows.map((r) => r.id)).toEqual([ids.quote]);
    expect((await listOpinions(db, { q: 'ab' }, NOW)).rows.map((r) => r.id)).toEqual([ids.quote]);
  });

  it('requires every whitespace-separated term (mixing FTS and LIKE terms)', async () => {
    expect((await listOpinions(db, { q: '駐車場 案内' }, NOW)).rows.map((r) => r.id)).toEqual([ids.parking]);
    expect((await listOpinions(db, { q: '駐車場\u3000区別' }, NOW)).rows).toEqual([]);
  });
});

describe('keyset batches (CSV export)', () => {
  it('walks every matching row exactly once', async () => {
    const seen: number[] = [];
    let cursor = null;
    for (;;) {
      const batch = await listOpinionsAfter(db, {}, cursor, 7, NOW);
      if (batch.length === 0) break;
      seen.push(...batch.map((r) => r.id));
      const last = batch[batch.length - 1];
      cursor = { receivedAt: last.receivedAt, id: last.id };
    }
    expect(seen).toHaveLength(64);
    expect(new Set(seen).size).toBe(64);
  });
});

describe('parseInboxFilters', () => {
  it('ignores empty fields and names malformed ones', () => {
    const { filters, invalid } = parseInboxFilters(
      new URLSearchParams('status=answered&channel=fax&section=&q=%20駐車%20&from=2026-02-30&overdue=1&page=2'),
    );
    expect(filters).toEqual({ status: 'answered' as OpinionStatus, q: '駐車', overdue: true, page: 2 });
    expect(invalid.sort()).toEqual(['channel', 'from']);
  });
});

describe('dashboard figures', () => {
  it('counts per section, status, channel and week, with the overdue list', async () => {
    const d = await getDashboard(db, new Date(NOW));
    expect(d.total).toBe(64);
    const sections = d.bySection[0].sections;
    expect(sections.find((s) => s.sectionNumber === 2)?.count).toBe(60);
    expect(sections.find((s) => s.sectionNumber === 3)?.count).toBe(2);
    expect(sections.find((s) => s.sectionNumber === 13)?.count).toBe(0);
    expect(sections.at(-1)).toMatchObject({ sectionNumber: 0, title: '通報全体' });
    expect(d.byChannel.find((c) => c.channel === 'phone')?.count).toBe(1);
    expect(d.byStatus.find((s) => s.status === 'new')?.count).toBe(62);
    expect(d.byWeek).toHaveLength(12);
    expect(d.byWeek.at(-1)?.weekStart).toBe('2026-11-23');
    expect(d.byWeek.reduce((n, w) => n + w.count, 0)).toBe(64);
    expect(d.overdue.map((r) => r.id)).toEqual([ids.parking]);
    expect(d.medianDaysToReply).toBeNull();
  });

  it('computes weeks from Monday in Shanghai and a median', () => {
    // Sunday 2026-11-29 20:00 UTC is Monday 2026-11-30 04:00 in Shanghai.
    expect(shanghaiWeekStart(new Date('2026-11-29T20:00:00Z'))).toBe('2026-11-30');
    expect(shanghaiWeekStart(new Date('2026-11-29T15:00:00Z'))).toBe('2026-11-23');
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
