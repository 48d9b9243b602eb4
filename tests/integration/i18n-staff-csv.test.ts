// The CSV export speaks the staff member's language (the `lng` cookie the
// language switch sets): headers, channel, status, section and the overdue
// mark; what people wrote and the notice's titles stay as they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

let server: TestServer;
let db: DB;
let cookie: string;

const TRACKING = 'XZ-2026-CSVL-0001';

beforeAll(async () => {
  server = await startTestServer();
  db = openDatabase(server.databasePath).db;
  const user = await createTestUser(server.databasePath, 'staff');
  cookie = await signIn(server.url, user.email, user.password);
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const now = new Date().toISOString();
  await db
    .insertInto('opinions')
    .values({
      tracking_number: TRACKING,
      receipt_token: 'csv-i18n-receipt-token-abcdefghijklmn',
      report_id: reportId,
      section_number: 3,
      item_number: 2,
      body: '郵便で届いた意見です。道路の補修をお願いします。',
      name: '郵送 一郎',
      channel: 'post',
      received_at: now,
      // A deadline already past: the row is overdue.
      due_at: new Date(Date.now() - 86_400_000).toISOString(),
      created_at: now,
      updated_at: now,
    })
    .execute();
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

async function exportIn(lng: string): Promise<string[][]> {
  const res = await fetch(`${server.url}/staff/export.csv?channel=post`, { headers: { Cookie: `${cookie}; lng=${lng}` } });
  expect(res.status).toBe(200);
  const text = new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(3));
  // No field in this export holds a comma, quote or line break.
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(','));
}

describe('CSV export in the staff member’s language', () => {
  it('has English headers and words, the opinion as written', async () => {
    const [header, row] = await exportIn('en');
    expect(header).toEqual([
      'Tracking number',
      'Received (Beijing time)',
      'Channel',
      'Notice',
      'Section',
      'Section title',
      'Item',
      'Status',
      'Unit',
      'Assignee',
      'Reply due',
      'Overdue',
      'Name',
      'Opinion',
    ]);
    expect(header.join(',')).not.toMatch(/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u);
    expect(row[0]).toBe(TRACKING);
    expect(row[2]).toBe('Post');
    expect(row[4]).toBe('Section 3');
    expect(row[6]).toMatch(/^\(2\)/);
    expect(row[7]).toBe('Received');
    expect(row[11]).toBe('Overdue');
    expect(row[12]).toBe('郵送 一郎');
    expect(row[13]).toBe('郵便で届いた意見です。道路の補修をお願いします。');
  });

  it('has Simplified Chinese headers and words', async () => {
    const [header, row] = await exportIn('zh-Hans');
    expect(header.slice(0, 3)).toEqual(['受理编号', '受理时间（北京时间）', '受理渠道']);
    expect(row[2]).toBe('邮寄');
    expect(row[4]).toBe('第三项');
    expect(row[7]).toBe('已受理');
    expect(row[11]).toBe('已逾期');
  });

  it('stays Japanese without a language choice', async () => {
    const res = await fetch(`${server.url}/staff/export.csv?channel=post`, { headers: { Cookie: cookie } });
    const text = new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(3));
    expect(text.split('\r\n')[0]).toBe('受付番号,受付日時,受付経路,通報,項,項目名,小項目,状態,担当部署,担当者,回答期限,期限超過,氏名,意見');
    expect(text).toContain(',郵便,');
    expect(text).toContain(',第三項,');
  });
});
