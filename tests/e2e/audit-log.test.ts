// Chromium: an administrator changes an opinion, reads its history and the
// audit log in Japanese, and follows the log's link back to the opinion —
// both pages without accessibility violations.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

let server: TestServer;
let context: BrowserContext;
let page: Page;
let admin: TestUser;
let db: DB;
let opinionId: number;

const TRACKING = 'XZ-2026-LOGS-0001';

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '記録 三郎' });
  db = openDatabase(server.databasePath).db;
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const now = new Date().toISOString();
  opinionId = (
    await db
      .insertInto('opinions')
      .values({
        tracking_number: TRACKING,
        receipt_token: 'e2e-audit-log-receipt-token-abcdefgh',
        report_id: reportId,
        section_number: 2,
        item_number: null,
        body: '街灯を増やしてください。',
        channel: 'web',
        received_at: now,
        due_at: new Date(Date.now() + 20 * 86_400_000).toISOString(),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  context = await launchBrowser();
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await db?.destroy();
  await server?.stop();
});

describe('audit log in a browser', () => {
  it("changes an opinion and reads its history in Japanese", async () => {
    await page.goto(`${server.url}/staff/opinions/${opinionId}`);
    await page.waitForURL(/\/staff\/login/);
    await page.getByLabel('メールアドレス').fill(admin.email);
    await page.getByLabel('パスワード').fill(admin.password);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByRole('heading', { level: 1, name: `意見 ${TRACKING}` }).waitFor();

    await page.getByLabel('新しい状態').selectOption({ label: '対応中' });
    await page.getByRole('button', { name: '状態を変更する' }).click();
    await page.getByText('状態を変更しました。').waitFor();
    await page.getByLabel('回答期限の日付(その日の終わりまで)').fill('2030-01-15');
    await page.getByRole('button', { name: '期限を変更する' }).click();
    await page.getByText('回答期限を変更しました。').waitFor();

    const history = page.getByRole('region', { name: '履歴の一覧' });
    await history.getByText('回答期限の変更').waitFor();
    await history.getByText('状態:受付 → 対応中').waitFor();
    expect(await history.textContent()).toMatch(/回答期限:\d{4}年\d{1,2}月\d{1,2}日 → 2030年1月15日/);
    expect(await history.textContent()).not.toContain('opinion.');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('lists the changes in the audit log and links back by tracking number', async () => {
    await page.getByRole('navigation', { name: '職員メニュー' }).getByRole('link', { name: '監査ログ' }).click();
    await page.getByRole('heading', { level: 1, name: '監査ログ' }).waitFor();
    const log = page.getByRole('region', { name: '監査ログの一覧' });
    await log.getByText('状態:受付 → 対応中').waitFor();
    expect(await log.textContent()).toContain('回答期限の変更');
    expect(await page.getByRole('status').textContent()).toMatch(/\d+件中 1〜\d+件目を表示/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-audit');

    await page.getByLabel('操作の種類').selectOption({ label: '状態の変更' });
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/action=opinion\.status/);
    await page.getByRole('status').getByText('1件中 1〜1件目を表示').waitFor();

    await log.getByRole('link', { name: `意見 ${TRACKING}` }).click();
    await page.getByRole('heading', { level: 1, name: `意見 ${TRACKING}` }).waitFor();
    expect(page.url()).toBe(`${server.url}/staff/opinions/${opinionId}`);
  });
});
