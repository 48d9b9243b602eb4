// The results board, the dashboard's overdue list, the inbox's "overdue"
// filter and the notices list count from indexes, kept counts and the
// published replies (migration 2026-12-05-0002) instead of reading every opinion. On a random register —
// every status, channel and measure, deadlines past and to come, replies on
// time, late and withdrawn, ties in deadlines — each gives what reading every
// opinion and working it out by hand gives. The board served to the public is
// computed once per RESULTS_MAX_AGE_MS and then afresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '~/domain/channels';
import { OPEN_STATUSES, OPINION_STATUSES } from '~/domain/opinion-status';
import { listOpinions, listOverdueOpinions } from '~/models/inbox.server';
import { getNoticeDetail, listNotices } from '~/models/notice-admin.server';
import { getCachedResults, RESULTS_MAX_AGE_MS } from '~/models/results-cache.server';
import { getResults, maskCounts, workingDaysBetween } from '~/models/results.server';
import { median } from '~/models/opinion-counts.server';
import { BUNDLED_SLUG, createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let reportId = 0;
const NOW = new Date('2026-06-15T04:00:00.000Z');
const NOW_ISO = NOW.toISOString();

/** A small seeded PRNG, so that a failure can be run again as it was. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] };
}

type Row = {
  id: number;
  section: number;
  item: number | null;
  channel: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  outside: 0 | 1;
  reply: { status: 'draft' | 'published' | 'unpublished'; publishedAt: string | null } | null;
};
const register: Row[] = [];

beforeAll(async () => {
  t = await createTestDb();
  reportId = (await t.db.selectFrom('reports').select('id').where('slug', '=', BUNDLED_SLUG).executeTakeFirstOrThrow()).id;
  const user = await t.db
    .insertInto('users')
    .values({ email: 'agg@example.jp', display_name: '集計 確認', role: 'moderator', password_hash: 'x', created_at: NOW_ISO })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rnd = random(20261203);
  const day = 24 * 3600_000;
  // Few distinct deadlines, so that many opinions share one (the overdue list's ties).
  const deadlines = Array.from({ length: 12 }, (_, i) => new Date(NOW.getTime() + (i - 8) * 3 * day).toISOString());
  for (let i = 0; i < 400; i++) {
    const section = rnd.int(6);
    const receivedAt = new Date(NOW.getTime() - (5 + rnd.int(60)) * day - rnd.int(day)).toISOString();
    const status = rnd.pick(OPINION_STATUSES);
    const replyKind = rnd.int(6); // 0–2 published, 3 draft, 4 withdrawn, 5 none
    const publishedAt = replyKind <= 2 || replyKind === 4 ? new Date(Date.parse(receivedAt) + (1 + rnd.int(30)) * day).toISOString() : null;
    register.push({
      id: 0,
      section,
      item: section === 0 || rnd.next() < 0.2 ? null : 1 + rnd.int(3),
      channel: rnd.pick(CHANNELS) as string,
      status,
      receivedAt,
      dueAt: rnd.pick(deadlines),
      outside: rnd.next() < 0.1 ? 1 : 0,
      reply: replyKind === 5 ? null : { status: replyKind <= 2 ? 'published' : replyKind === 3 ? 'draft' : 'unpublished', publishedAt },
    });
  }
  for (const [i, r] of register.entries()) {
    const row = await t.db
      .insertInto('opinions')
      .values({
        tracking_number: `XZ-2026-AGGR-${String(i).padStart(4, '0')}`,
        receipt_token: `aggregates-receipt-token-${i}-abcdefgh`,
        report_id: reportId,
        section_number: r.section,
        item_number: r.item,
        body: `集計の確認 ${i}`,
        channel: r.channel as never,
        status: r.status as never,
        outside_period: r.outside,
        received_at: r.receivedAt,
        due_at: r.dueAt,
        created_at: r.receivedAt,
        updated_at: r.receivedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    r.id = row.id;
    if (r.reply) {
      const at = r.reply.publishedAt ?? r.receivedAt;
      await t.db
        .insertInto('official_replies')
        .values({ opinion_id: row.id, body: '回答します。', status: r.reply.status, published_at: r.reply.publishedAt, updated_at: at, created_by_id: user.id, updated_by_id: user.id, created_at: at })
        .execute();
    }
  }
});
afterAll(async () => {
  await t?.close();
});

/** The board's figures for some opinions, worked out from every row (as the first release did). */
function byHand(rows: Row[]) {
  const repliedAt = (r: Row) => (r.reply?.status === 'published' ? r.reply.publishedAt : null);
  const answered = rows.filter((r) => repliedAt(r) !== null);
  const due = rows.filter((r) => !['duplicate', 'out_of_scope'].includes(r.status) && (repliedAt(r) !== null || Date.parse(r.dueAt) < NOW.getTime()));
  const onTime = due.filter((r) => repliedAt(r) !== null && Date.parse(repliedAt(r)!) <= Date.parse(r.dueAt));
  return {
    received: rows.length,
    byChannel: Object.fromEntries(CHANNELS.map((c) => [c, rows.filter((r) => r.channel === c).length])),
    answered: answered.length,
    onTimePercent: due.length >= 3 ? Math.round((onTime.length / due.length) * 1000) / 10 : null,
    medianWorkingDays: answered.length >= 3 ? median(answered.map((r) => workingDaysBetween(r.receivedAt, repliedAt(r)!))) : null,
  };
}

describe('counted from indexes, as reading every opinion counts', () => {
  it('gives the results board of the whole notice and of each section', async () => {
    const results = (await getResults(t.db, BUNDLED_SLUG, NOW))!;
    /** A row as shown against the same figures by hand, channel counts hidden by the same rule. */
    const expectRow = (row: typeof results.total, rows: Row[], what: string) => {
      const expected = byHand(rows);
      expect({
        received: row.received,
        byChannel: row.byChannel.map((c) => c.count),
        answered: row.answered,
        onTimePercent: row.onTimePercent,
        medianWorkingDays: row.medianWorkingDays,
      }, what).toEqual({ ...expected, byChannel: maskCounts(row.byChannel.map((c) => expected.byChannel[c.channel])) });
      return expected;
    };
    const total = expectRow(results.total, register, 'the whole notice');
    expect(total.received).toBe(400);
    expect(total.answered).toBeGreaterThan(100);
    expect(results.total.byChannel.map((c) => c.channel).sort()).toEqual([...CHANNELS].sort());
    for (const row of results.sections) {
      const rows = register.filter((r) => r.section === row.sectionNumber);
      // Sections 0–5 hold enough opinions that no section's count is hidden as "<3"; the rest none.
      expect(rows.length > 20 || (rows.length === 0 && row.received === 0), `section ${row.sectionNumber}`).toBe(true);
      expectRow(row, rows, `section ${row.sectionNumber}`);
    }
  });

  it('gives the measures with most opinions', async () => {
    const results = (await getResults(t.db, BUNDLED_SLUG, NOW))!;
    const counts = new Map<string, number>();
    for (const r of register) if (r.section !== 0 && r.item !== null) counts.set(`${r.section}-${r.item}`, (counts.get(`${r.section}-${r.item}`) ?? 0) + 1);
    const expected = [...counts]
      .map(([key, n]) => [...key.split('-').map(Number), n])
      .sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1])
      .slice(0, 10);
    expect(results.topMeasures.map((m) => [m.sectionNumber, m.itemNumber, m.count])).toEqual(expected);
  });

  it('lists the most overdue open opinions, deadline then id, across the open statuses', async () => {
    const expected = register
      .filter((r) => (OPEN_STATUSES as readonly string[]).includes(r.status) && r.dueAt < NOW_ISO)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id - b.id)
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(40);
    for (const limit of [1, 7, 40, 1000]) {
      expect((await listOverdueOpinions(t.db, limit, NOW_ISO)).map((r) => r.id), `limit ${limit}`).toEqual(expected.slice(0, limit));
    }
  });

  it('filters the inbox to overdue opinions, newest first, page after page, alone and with a status', async () => {
    const overdue = register.filter((r) => (OPEN_STATUSES as readonly string[]).includes(r.status) && r.dueAt < NOW_ISO);
    const newestFirst = (rows: Row[]) => [...rows].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.id - a.id).map((r) => r.id);
    const pages = async (filters: { status?: 'new' }) => {
      const ids: number[] = [];
      for (let page = 1; ; page++) {
        const result = await listOpinions(t.db, { overdue: true, page, ...filters }, NOW_ISO);
        ids.push(...result.rows.map((r) => r.id));
        expect(result.rows.every((r) => r.overdue)).toBe(true);
        if (!result.hasNext) return ids;
      }
    };
    expect(overdue.length).toBeGreaterThan(60);
    expect(await pages({})).toEqual(newestFirst(overdue));
    expect(await pages({ status: 'new' })).toEqual(newestFirst(overdue.filter((r) => r.status === 'new')));
  });

  it('counts opinions, answered and outside the period per notice, and per target on its console', async () => {
    const [notice] = (await listNotices(t.db, NOW)).filter((n) => n.slug === BUNDLED_SLUG);
    const detail = (await getNoticeDetail(t.db, reportId, NOW))!;
    const byTarget = new Map<string, { count: number; outsidePeriod: number }>();
    for (const r of register) {
      const entry = byTarget.get(`${r.section}-${r.item}`) ?? { count: 0, outsidePeriod: 0 };
      entry.count++;
      entry.outsidePeriod += r.outside;
      byTarget.set(`${r.section}-${r.item}`, entry);
    }
    expect(new Map(detail.targets.map((x) => [`${x.sectionNumber}-${x.itemNumber}`, { count: x.count, outsidePeriod: x.outsidePeriod }]))).toEqual(byTarget);
    expect(notice).toMatchObject({
      opinions: 400,
      answered: register.filter((r) => r.reply?.status === 'published').length,
      outsidePeriod: register.filter((r) => r.outside === 1).length,
    });
  });
});

describe('the board as the public pages serve it', () => {
  it('is computed once per RESULTS_MAX_AGE_MS while the pages show the same, afresh after or when they change; an unknown notice is never kept', async () => {
    const at = Date.now();
    const first = getCachedResults(t.db, BUNDLED_SLUG, 'v1', at);
    expect(getCachedResults(t.db, BUNDLED_SLUG, 'v1', at + RESULTS_MAX_AGE_MS - 1)).toBe(first);
    expect((await first)!.total.received).toBe(400);
    await t.db.deleteFrom('official_replies').where('opinion_id', '=', register[0].id).execute();
    await t.db.deleteFrom('opinions').where('id', '=', register[0].id).execute();
    // Past its age: computed again, with the opinion gone.
    const later = getCachedResults(t.db, BUNDLED_SLUG, 'v1', at + RESULTS_MAX_AGE_MS);
    expect(later).not.toBe(first);
    expect((await later)!.total.received).toBe(399);
    expect((await later)!.generatedAt).toBe(new Date(at + RESULTS_MAX_AGE_MS).toISOString());
    // Within its age, but what the pages show changed (a reply published): computed again.
    expect(getCachedResults(t.db, BUNDLED_SLUG, 'v1', at + RESULTS_MAX_AGE_MS + 1)).toBe(later);
    const changed = getCachedResults(t.db, BUNDLED_SLUG, 'v2', at + RESULTS_MAX_AGE_MS + 1);
    expect(changed).not.toBe(later);
    expect((await changed)!.generatedAt).toBe(new Date(at + RESULTS_MAX_AGE_MS + 1).toISOString());

    const unknown = getCachedResults(t.db, 'no-such-notice', 'v1', at);
    expect(await unknown).toBeNull();
    expect(getCachedResults(t.db, 'no-such-notice', 'v1', at)).not.toBe(unknown);
  });
});
