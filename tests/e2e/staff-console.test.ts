// Chromium: a staff member triages in the console — filters and searches the
// inbox, opens an opinion, changes its status and assigns it, records a phone
// opinion, downloads the CSV — and the pages have no accessibility violations.
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

let server: TestServer;
let context: BrowserContext;
let page: Page;
let staff: TestUser;
let db: DB;

const PARKING = 'XZ-2026-PARK-0001';

beforeAll(async () => {
  server = await startTestServer();
  staff = await createTestUser(server.databasePath, 'staff', { displayName: '受付 花子' });
  db = openDatabase(server.databasePath).db;
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  await db.insertInto('units').values({ name: '交通管理課', email: 'koutsu@example.jp', retired_at: null, created_at: new Date().toISOString() }).execute();
  const base = Date.now() - 30 * 86_400_000;
  const rows = [
    { tracking_number: PARKING, body: '駐車場の案内表示が分かりにくいので、改善してください。', name: '山田 太郎', section_number: 3, item_number: 2 },
    { tracking_number: 'XZ-2026-PARK-0002', body: '駐輪場を増やしてほしいです。よろしくお願いします。', name: null, section_number: 4, item_number: null },
    { tracking_number: 'XZ-2026-ROAD-0003', body: '歩道の段差が危ないので直してください。', name: '佐藤 一郎', section_number: 0, item_number: null },
  ];
  for (const [i, r] of rows.entries()) {
    const at = new Date(base + i * 3600_000).toISOString();
    await db
      .insertInto('opinions')
      .values({
        ...r,
        receipt_token: `e2e-receipt-token-${i}-abcdefghijkl`,
        report_id: reportId,
        channel: 'web',
        received_at: at,
        // The first is past its deadline, to show the overdue marker.
        due_at: new Date(base + (i === 0 ? 86_400_000 : 60 * 86_400_000)).toISOString(),
        created_at: at,
        updated_at: at,
      })
      .execute();
  }
  context = await launchBrowser();
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await db?.destroy();
  await server?.stop();
});

describe('staff console in a browser', () => {
  it('signs in and shows the inbox without accessibility violations', async () => {
    await page.goto(`${server.url}/staff`);
    await page.waitForURL(/\/staff\/login/);
    await page.getByLabel('メールアドレス').fill(staff.email);
    await page.getByLabel('パスワード').fill(staff.password);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByRole('heading', { level: 1, name: '受付一覧' }).waitFor();
    expect(await page.locator('.inbox-table tbody tr').count()).toBe(3);
    expect(await page.locator('.overdue-marker').allTextContents()).toEqual(['期限超過']);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-inbox');
  });

  it('filters and searches for 駐車, marking the matches, with the view kept in the URL', async () => {
    await page.getByLabel('キーワード').fill('駐車');
    await page.getByLabel('状態', { exact: true }).selectOption({ label: '受付' });
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/q=%E9%A7%90%E8%BB%8A/);
    expect(page.url()).toContain('status=new');
    await page.locator('.inbox-table mark', { hasText: /^駐車$/ }).first().waitFor();
    expect(await page.locator('.inbox-table tbody tr').count()).toBe(1);
    expect(await page.locator('.inbox-table mark').allTextContents()).toEqual(['駐車']);
    // A shared link shows the same view.
    const again = await context.newPage();
    await again.goto(page.url());
    expect(await again.locator('.inbox-table tbody tr').count()).toBe(1);
    expect(await again.getByLabel('キーワード').inputValue()).toBe('駐車');
    await again.close();
    // Three characters go through the full-text index.
    await page.getByLabel('キーワード').fill('駐車場');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/q=%E9%A7%90%E8%BB%8A%E5%A0%B4/);
    // The URL can change a moment before the new rows are rendered.
    await page.locator('.inbox-table mark', { hasText: /^駐車場$/ }).first().waitFor();
    expect(await page.locator('.inbox-table mark').allTextContents()).toEqual(['駐車場']);
  });

  it('opens an opinion, changes its status and assigns it', async () => {
    // A row's plain link is followed in the app (one handler on the table), not as a new document.
    await page.evaluate(() => Object.assign(window, { stillThisDocument: true }));
    await page.getByRole('link', { name: PARKING }).click();
    await page.getByRole('heading', { level: 1, name: `意見 ${PARKING}` }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { stillThisDocument?: boolean }).stillThisDocument)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('新しい状態').selectOption({ label: '確認中' });
    await page.getByRole('button', { name: '状態を変更する' }).click();
    await page.getByText('状態を変更しました。').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('status-message');

    await page.getByLabel('担当部署').selectOption({ label: '交通管理課(メール通知あり)' });
    await page.getByLabel('担当者').selectOption({ label: '受付 花子' });
    await page.getByRole('button', { name: '担当を変更する' }).click();
    await page.getByText('担当を変更しました。').waitFor();

    const history = page.getByRole('region', { name: '履歴の一覧' });
    await history.getByText('状態の変更').waitFor();
    expect(await history.textContent()).toContain('状態:受付');
    // The history revalidates after the change: wait for its row rather than read it at once.
    await expect.poll(() => history.textContent(), { timeout: 15_000 }).toContain('担当部署:(なし) → 交通管理課');
    await page.getByText('担当部署への通知').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-opinion');

    const row = await db.selectFrom('opinions').select(['status', 'unit_id', 'assignee_id']).where('tracking_number', '=', PARKING).executeTakeFirstOrThrow();
    expect(row.status).toBe('triaged');
    expect(row.assignee_id).toBe(staff.id);
  });

  it('records a phone opinion and shows a printable acknowledgement', async () => {
    await page.getByRole('navigation', { name: '職員メニュー' }).getByRole('link', { name: '電話・郵便の記録' }).click();
    await page.getByRole('heading', { level: 1, name: '電話・郵便・来庁の意見を記録' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('電話', { exact: true }).check();
    await page.getByLabel('受付日時(北京時間)').fill('2026-11-20T10:15');
    await page.getByLabel('対象の項目').selectOption({ value: '1:2:' });
    await page.getByLabel('意見の内容').fill('電話で受けた意見です。バス停の屋根を直してほしいとのことでした。');
    await page.getByLabel('氏名').fill('電話 次郎');
    await page.getByLabel('電話番号').fill('0573-0000-1111');
    await page.getByRole('button', { name: '記録して受付票を作成する' }).click();
    await page.waitForURL(/\/staff\/opinions\/\d+\/ack$/);
    await page.getByRole('heading', { level: 1, name: 'ご意見の受付について' }).waitFor();
    const tracking = (await page.locator('.ack__facts .tracking-number').textContent()) ?? '';
    expect(tracking).toMatch(/^XZ-2026-/);
    expect(await page.textContent('main')).toContain('/track');
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: '職員メニュー' }).isVisible()).toBe(false);
    await screenshot(page, 'staff-ack-print');
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${server.url}/staff?channel=phone`);
    expect(await page.locator('.inbox-table tbody tr').count()).toBe(1);
    expect(await page.locator('.inbox-table').textContent()).toContain(tracking);
  });

  it('downloads the CSV of the current view', async () => {
    await page.goto(`${server.url}/staff?q=%E9%A7%90`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'この条件でCSVをダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^ikenbako-opinions-\d{8}-\d{4}\.csv$/);
    const bytes = fs.readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0].startsWith('受付番号,受付日時,受付経路')).toBe(true);
    expect(lines).toHaveLength(3); // header + the two opinions with 駐
    expect(text).toContain(PARKING);
    expect(text).toContain('確認中');
  });

  it('offers only receivable channels and tells namesakes apart by email', async () => {
    const namesake = await createTestUser(server.databasePath, 'staff', { displayName: '受付 花子', email: 'hanako.uketsuke@example.jp' });
    await page.goto(`${server.url}/staff`);
    await page.getByRole('heading', { level: 1, name: '受付一覧' }).waitFor();
    const channels = await page.getByLabel('受付経路').locator('option').allTextContents();
    expect(channels).toEqual(['すべて', 'ウェブ', '電話', '郵便', '来庁', '12345ホットライン', 'API']);
    const people = await page.getByLabel('担当者').locator('option').allTextContents();
    expect(people).toContain(`受付 花子(${staff.email})`);
    expect(people).toContain(`受付 花子(${namesake.email})`);

    await page.getByLabel('担当者').selectOption({ label: `受付 花子(${staff.email})` });
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(new RegExp(`assigneeId=${staff.id}`));
    await page.getByRole('link', { name: PARKING }).waitFor();
    // The URL changes before the filtered rows replace the previous view's.
    await expect.poll(() => page.locator('.inbox-table tbody tr').count()).toBe(1);
    // A deadline is a day: the date, no time.
    expect(await page.locator('.inbox-table .due time').textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the dashboard without accessibility violations', async () => {
    await page.goto(`${server.url}/staff/dashboard`);
    await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor();
    expect(await page.getByRole('img', { name: /項ごとの意見数/ }).count()).toBe(1);
    const byChannel = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: '経路' }) });
    expect(await byChannel.getByRole('rowheader').allTextContents()).toEqual(['ウェブ', '電話', '郵便', '来庁', '12345ホットライン', 'API']);
    const overdue = page.getByRole('region', { name: '期限を過ぎた意見の一覧' });
    await overdue.getByRole('link', { name: PARKING }).waitFor();
    expect(await overdue.locator('.due time').first().textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-dashboard');
  });
});
