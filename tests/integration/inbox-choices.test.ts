// What the inbox filters and the dashboard offer (issue 18, item 7): only the
// channels the portal can receive through, and people told apart by email.
// Deadlines (the end of a Shanghai day) show as dates in the inbox and the CSV.
// Against the real production server and its database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOpinion } from '../../db/schema';
import { RECEIVABLE_CHANNELS } from '~/domain/channels';
import { API_CHANNELS } from '~/schemas/api';
import { STAFF_CHANNELS } from '~/schemas/staff-opinion';
import { getDashboard } from '~/models/dashboard.server';
import { listInboxFilterChoices } from '~/models/report-outlines.server';
import { openDatabase, type DB } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

let server: TestServer;
let db: DB;
let cookie: string;
let first: TestUser;
let second: TestUser;
let reportId: number;
let seq = 0;

async function seedOpinion(values: Partial<NewOpinion> = {}): Promise<string> {
  seq += 1;
  const at = new Date(Date.now() - seq * 60_000).toISOString();
  const trackingNumber = `XZ-2026-CHOI-${String(seq).padStart(4, '0')}`;
  await db
    .insertInto('opinions')
    .values({
      tracking_number: trackingNumber,
      receipt_token: `choices-receipt-token-${seq}-xxxxxxxx`,
      report_id: reportId,
      section_number: 2,
      item_number: 1,
      body: '選択肢の試験のための意見です。',
      channel: 'web',
      received_at: at,
      // 2030-01-15, the end of that day in Shanghai.
      due_at: '2030-01-15T15:59:59.999Z',
      created_at: at,
      updated_at: at,
      ...values,
    })
    .execute();
  return trackingNumber;
}

async function page(path: string): Promise<string> {
  const res = await fetch(server.url + path, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The visible text of each <option> of the <select id="…">. */
function optionLabels(html: string, id: string): string[] {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  expect(select, id).not.toBeNull();
  return [...select![1].matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((m) => m[1]);
}

beforeAll(async () => {
  server = await startTestServer();
  // Two people with the same name: only their email tells them apart.
  first = await createTestUser(server.databasePath, 'staff', { displayName: '山田 花子', email: 'hanako.yamada@example.jp' });
  second = await createTestUser(server.databasePath, 'moderator', { displayName: '山田 花子', email: 'h.yamada@example.jp' });
  await createTestUser(server.databasePath, 'staff', { displayName: '退職 太郎', email: 'taro@example.jp', active: false });
  db = openDatabase(server.databasePath).db;
  reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  cookie = await signIn(server.url, first.email, first.password);
  await seedOpinion({ channel: 'phone', assignee_id: second.id });
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('channel choices', () => {
  it('offers exactly the channels the portal can receive through: web, staff records and the intake API', async () => {
    expect([...RECEIVABLE_CHANNELS].sort()).toEqual([...new Set<string>(['web', ...STAFF_CHANNELS, ...API_CHANNELS])].sort());
    expect(optionLabels(await page('/staff'), 'f-channel')).toEqual(['すべて', 'ウェブ', '電話', '郵便', '来庁', '12345ホットライン', 'API']);
  });

  it('keeps a linked channel selected', async () => {
    const html = await page('/staff?channel=api');
    expect(html).not.toContain('次の条件は形式が正しくないため');
    expect(html).toMatch(/<option value="api" selected="">API<\/option>/);
    expect(html).toContain('条件に合う意見はありません。');
  });

  it('lists the receivable channels on the dashboard, and counts opinions that came through the API', async () => {
    const before = await getDashboard(db);
    expect(before.byChannel.map((c) => c.channel)).toEqual([...RECEIVABLE_CHANNELS]);

    await seedOpinion({ channel: 'api' });
    const after = await getDashboard(db);
    expect(after.byChannel.find((c) => c.channel === 'api')?.count).toBe(1);
    expect(await page('/staff/dashboard')).toContain('href="/staff?channel=api"');
    await db.deleteFrom('opinions').where('channel', '=', 'api').execute();
  });
});

describe('assignee choices', () => {
  it('names each person with their email, so that two of the same name differ', async () => {
    const labels = optionLabels(await page('/staff'), 'f-assignee');
    expect(labels).toContain('山田 花子(hanako.yamada@example.jp)');
    expect(labels).toContain('山田 花子(h.yamada@example.jp)');
    expect(labels).toContain('退職 太郎(taro@example.jp・無効)');
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('gives the model view the same labels, by id', async () => {
    const choices = await listInboxFilterChoices(db);
    expect(choices.assignees.find((a) => a.id === second.id)?.label).toBe('山田 花子(h.yamada@example.jp)');
    expect(choices.maxSection).toBe(13);
    expect(choices.reports).toHaveLength(1);
  });
});

describe('deadlines are days', () => {
  it('shows the due date without a time in the inbox and on the dashboard', async () => {
    const inbox = await page('/staff?channel=phone');
    expect(inbox).toContain('<time dateTime="2030-01-15">2030年1月15日</time>');
    expect(inbox).not.toMatch(/2030年1月15日 \d\d:\d\d/);

    const overdue = await seedOpinion({ due_at: '2026-01-05T15:59:59.999Z' });
    const dashboard = await page('/staff/dashboard');
    expect(dashboard).toContain(overdue);
    expect(dashboard).toContain('<time dateTime="2026-01-05">2026年1月5日</time>');
  });

  it('writes the due date as YYYY-MM-DD in the CSV, and the receipt time to the minute', async () => {
    const res = await fetch(`${server.url}/staff/export.csv?channel=phone`, { headers: { Cookie: cookie } });
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const cells = lines[1].split(',');
    expect(cells[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(cells[9]).toBe('山田 花子');
    expect(cells[10]).toBe('2030-01-15');
  });
});
