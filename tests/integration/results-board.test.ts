// The public results board against a seeded register whose figures are known
// by hand: counts per section and channel, answered, the share answered by
// the deadline, the median working days to the first published reply, the
// measures with most opinions, the "<3" rule (with the complementary hiding
// that keeps a hidden count from being worked out), and the CSV/JSON downloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getResults, maskCounts, workingDaysBetween, type Results } from '~/models/results.server';
import { BUNDLED_SLUG, createTestDb } from '../helpers/db';
import { dropPostgresDatabase, onPostgres } from '../helpers/postgres';
import { startTestServer, type TestServer } from '../helpers/server';

let t: Awaited<ReturnType<typeof createTestDb>>;
let server: TestServer;
let results: Results;

// Monday 2 March 2026, 10:00 in Shanghai; every deadline is the end of Friday 6 March.
const RECEIVED = '2026-03-02T02:00:00.000Z';
const DUE = '2026-03-06T15:59:59.999Z';
const NOW = new Date('2026-04-01T00:00:00.000Z');
// First replies after 1, 3 and 5 working days (Tue 3, Thu 5, Mon 9 March); the last is late.
const REPLIES = ['2026-03-03T03:00:00.000Z', '2026-03-05T03:00:00.000Z', '2026-03-09T03:00:00.000Z'];

type Seed = { section: number; item: number | null; channel: 'web' | 'phone' | 'post'; status?: 'duplicate'; repliedAt?: string };
const SEEDS: Seed[] = [
  // 第一項: 4 opinions (2 web, 1 phone, 1 post), 3 answered (2 on time), 1 overdue.
  { section: 1, item: 1, channel: 'web', repliedAt: REPLIES[0] },
  { section: 1, item: 1, channel: 'phone', repliedAt: REPLIES[1] },
  { section: 1, item: 2, channel: 'post', repliedAt: REPLIES[2] },
  { section: 1, item: 2, channel: 'web' },
  // 第二項: 2 opinions: hidden as "<3".
  { section: 2, item: 1, channel: 'web' },
  { section: 2, item: 1, channel: 'web' },
  // 第四項: 3 opinions: shown as 3 alone, hidden here so that 第二項's cannot be worked out.
  { section: 4, item: 1, channel: 'web' },
  { section: 4, item: 1, channel: 'web' },
  { section: 4, item: 1, channel: 'web' },
  // The notice as a whole: 5, one a duplicate (not due).
  ...Array.from({ length: 5 }, (_, i): Seed => ({ section: 0, item: null, channel: 'web', status: i === 0 ? 'duplicate' : undefined })),
];

beforeAll(async () => {
  t = await createTestDb();
  const reportId = (await t.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const user = await t.db
    .insertInto('users')
    .values({ email: 'mod@example.jp', display_name: '回答 担当', role: 'moderator', password_hash: 'x', created_at: RECEIVED })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [i, s] of SEEDS.entries()) {
    const opinion = await t.db
      .insertInto('opinions')
      .values({
        tracking_number: `XZ-2026-RSLT-${String(i).padStart(4, '0')}`,
        receipt_token: `results-receipt-token-${i}-abcdefgh`,
        report_id: reportId,
        section_number: s.section,
        item_number: s.item,
        body: `集計テストの意見 ${i}`,
        channel: s.channel,
        status: s.status ?? (s.repliedAt ? 'answered' : 'new'),
        received_at: RECEIVED,
        due_at: DUE,
        created_at: RECEIVED,
        updated_at: RECEIVED,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (s.repliedAt) {
      await t.db
        .insertInto('official_replies')
        .values({ opinion_id: opinion.id, body: '回答します。', status: 'published', published_at: s.repliedAt, updated_at: s.repliedAt, created_by_id: user.id, updated_by_id: user.id, created_at: s.repliedAt })
        .execute();
    }
  }
  results = (await getResults(t.db, BUNDLED_SLUG, NOW))!;
  // The server takes the database over: close this connection, keep the data.
  await t.db.destroy();
  server = await startTestServer({ DATABASE_PATH: t.file });
});
afterAll(async () => {
  await server?.stop();
  if (onPostgres && t) await dropPostgresDatabase(t.file);
});

describe('the figures', () => {
  it('counts working days Monday to Friday in Shanghai', () => {
    expect(REPLIES.map((r) => workingDaysBetween(RECEIVED, r))).toEqual([1, 3, 5]);
    expect(workingDaysBetween('2026-03-06T10:00:00.000Z', '2026-03-09T01:00:00.000Z')).toBe(1); // Friday → Monday
  });

  it('hides 1 and 2, and one more when a single count would be hidden', () => {
    expect(maskCounts([12, 1, 1, 0])).toEqual([12, '<3', '<3', 0]);
    expect(maskCounts([4, 2, 0, 3, 5])).toEqual([4, '<3', 0, '<3', 5]);
    expect(maskCounts([7])).toEqual([7]);
    expect(maskCounts([2])).toEqual(['<3']);
  });

  it('gives the whole notice from the register', () => {
    expect(results.total).toMatchObject({
      received: 14,
      answered: 3,
      // Due so far: 13 (14 less the duplicate); answered by the deadline: 2.
      onTimePercent: 15.4,
      medianWorkingDays: 3,
    });
    expect(results.total.byChannel.map((c) => [c.label, c.count])).toEqual([
      ['ウェブ', 12],
      ['電話', '<3'],
      ['郵便', '<3'],
      ['来庁', 0],
      ['12345ホットライン', 0],
      ['API', 0],
    ]);
  });

  it('gives each section, with small counts hidden', () => {
    const bySection = new Map(results.sections.map((s) => [s.sectionNumber, s]));
    expect(results.sections.map((s) => s.sectionNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0]);
    expect(bySection.get(1)).toMatchObject({ received: 4, answered: 3, onTimePercent: 50, medianWorkingDays: 3 });
    expect(bySection.get(1)!.byChannel.map((c) => c.count)).toEqual(['<3', '<3', '<3', 0, 0, 0]);
    expect(bySection.get(2)).toMatchObject({ received: '<3', answered: 0, onTimePercent: null, medianWorkingDays: null });
    expect(bySection.get(3)).toMatchObject({ received: 0, answered: 0 });
    expect(bySection.get(4)).toMatchObject({ received: '<3' });
    expect(bySection.get(0)).toMatchObject({ received: 5, answered: 0, onTimePercent: 0, label: '通報全体' });
  });

  it('lists the measures with most opinions', () => {
    expect(results.topMeasures.map((m) => [m.sectionNumber, m.itemNumber, m.count])).toEqual([
      [4, 1, 3],
      [1, 1, '<3'],
      [1, 2, '<3'],
      [2, 1, '<3'],
    ]);
    expect(results.topMeasures[0].label).toMatch(/^第四項「.+」 ／ \(一\)「.+」$/);
  });
});

describe('the board over HTTP', () => {
  it('shows every figure in a table beside its chart, with a link back', async () => {
    const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/results`);
    expect(res.status).toBe(200);
    const html = (await res.text()).replace(/<!--.*?-->/g, '');
    expect(html).toContain('<h1 id="results-title">意見への対応状況</h1>');
    expect(html).toContain('<svg');
    expect(html).toMatch(/<caption[^>]*>項ごとの意見数・回答状況\(表\)<\/caption>/);
    expect(html).toContain('&lt;3');
    expect(html).toContain(`href="/reports/${BUNDLED_SLUG}/results.csv"`);
    expect(html).toContain(`href="/reports/${BUNDLED_SLUG}/results.json"`);
    expect((await fetch(`${server.url}/reports/no-such-notice/results`)).status).toBe(404);
  });

  it('downloads CSV that Excel reads (BOM, CRLF, quoted) with the same figures', async () => {
    const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/results.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="xiuzhou-inspection-2023-results-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('区分,対象,受付件数,うちウェブ,うち電話,うち郵便,うち来庁,うち12345ホットライン,うちAPI,回答済み,期限内回答率(%),初回回答までの稼働日数(中央値)');
    expect(lines[lines.length - 1]).toBe('');
    expect(text).not.toMatch(/[^\r]\n/);
    const first = lines.find((l) => l.startsWith('項,第一項'))!;
    expect(first.split(',').slice(-10)).toEqual(['4', '<3', '<3', '<3', '0', '0', '0', '3', '50', '3']);
    // The board is computed at request time: the share of the whole notice is as in the model.
    expect(lines[1]).toBe('全体,通報全体の合計,14,12,<3,<3,0,0,0,3,15.4,3');
  });

  it('downloads JSON with the same figures', async () => {
    const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/results.json`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as Results;
    expect(body.total).toMatchObject({ received: 14, answered: 3, onTimePercent: 15.4, medianWorkingDays: 3 });
    expect(body.sections.find((s) => s.sectionNumber === 2)?.received).toBe('<3');
    expect(body.topMeasures[0]).toMatchObject({ sectionNumber: 4, itemNumber: 1, count: 3 });
  });

  it('is linked from the home page and the report page', async () => {
    const home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain(`href="/reports/${BUNDLED_SLUG}/results"`);
    const report = await (await fetch(`${server.url}/reports/${BUNDLED_SLUG}`)).text();
    expect(report).toContain(`href="/reports/${BUNDLED_SLUG}/results"`);
  });
});
