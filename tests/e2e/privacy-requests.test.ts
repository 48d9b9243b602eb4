// Chromium: an administrator answers a person's request at /staff/privacy —
// finds their opinion, downloads the JSON copy, erases after confirming —
// with and without JavaScript; every state of the page passes axe.
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

let server: TestServer;
let admin: TestUser;
let db: DB;

async function seedOpinion(label: string, person: { name: string; email: string; phone: string }): Promise<number> {
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const now = new Date().toISOString();
  const { id } = await db
    .insertInto('opinions')
    .values({
      tracking_number: `XZ-2026-PRIV-${label}`,
      receipt_token: `e2e-privacy-receipt-token-${label}-abcdefgh`,
      report_id: reportId,
      section_number: 7,
      item_number: null,
      body: `図書館の開館時間を延ばしてください。(${label})`,
      ...person,
      channel: 'web',
      status: 'answered',
      received_at: now,
      due_at: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      client_hash: 'c0ffee',
      user_agent: 'Mozilla/5.0',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

async function signIn(page: Page) {
  await page.goto(`${server.url}/staff/privacy`);
  await page.waitForURL(/\/staff\/login/);
  await page.getByLabel('メールアドレス').fill(admin.email);
  await page.getByLabel('パスワード').fill(admin.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.getByRole('heading', { level: 1, name: /本人からの請求/ }).waitFor();
}

const personOf = (id: number) =>
  db
    .selectFrom('opinions')
    .select(['name', 'email', 'phone', 'body', 'personal_data_removed_reason'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '請求 担当' });
  db = openDatabase(server.databasePath).db;
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('a request about personal data, with JavaScript', () => {
  let context: BrowserContext;
  let page: Page;
  let id: number;

  beforeAll(async () => {
    id = await seedOpinion('JS01', { name: '佐々木 次郎', email: 'sasaki.jiro@example.jp', phone: '0573-8888-1234' });
    context = await launchBrowser();
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('is reached from the staff menu and explains a bad query beside the field', async () => {
    await signIn(page);
    await page.goto(`${server.url}/staff`);
    await page.getByRole('navigation', { name: '職員メニュー' }).getByRole('link', { name: '本人からの請求' }).click();
    await page.getByRole('heading', { level: 1, name: /本人からの請求/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('メールアドレスまたは電話番号').fill('123');
    await page.getByRole('button', { name: '検索する' }).click();
    await page.getByText('電話番号は数字6桁以上で入力してください').waitFor();
    const field = page.getByLabel('メールアドレスまたは電話番号');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('finds the opinion by phone and downloads the JSON copy', async () => {
    await page.getByLabel('メールアドレスまたは電話番号').fill('０５７３８８８８１２３４');
    await page.getByRole('button', { name: '検索する' }).click();
    const heading = page.getByRole('heading', { level: 2, name: /検索結果:電話番号「.*」の意見 1件/ });
    await heading.waitFor();
    expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true);
    const results = page.getByRole('region', { name: '見つかった意見の一覧' });
    await results.getByRole('link', { name: 'XZ-2026-PRIV-JS01' }).waitFor();
    expect(await results.textContent()).toContain('佐々木 次郎');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-privacy-results');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'JSONで書き出す' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^ikenbako-personal-data-\d{8}-\d{4}\.json$/);
    const file = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(file.searchedBy).toBe('phone');
    expect(file.opinions).toHaveLength(1);
    expect(file.opinions[0]).toMatchObject({
      trackingNumber: 'XZ-2026-PRIV-JS01',
      name: '佐々木 次郎',
      body: '図書館の開館時間を延ばしてください。(JS01)',
    });
  });

  it('asks to confirm, then erases and says what it did', async () => {
    await page.getByRole('button', { name: '消去する' }).click();
    await page.getByRole('heading', { level: 2, name: /消去の確認/ }).waitFor();
    expect(await page.getByText('消去は元に戻せません。').count()).toBe(1);
    expect((await personOf(id)).name).toBe('佐々木 次郎');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-privacy-confirm');

    await page.getByRole('button', { name: '1件の意見から個人情報を消去する' }).click();
    await page
      .getByRole('status')
      .getByText(/意見1件\(XZ-2026-PRIV-JS01\)から個人情報を消去しました。/)
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await personOf(id)).toEqual({
      name: null,
      email: null,
      phone: null,
      body: '図書館の開館時間を延ばしてください。(JS01)',
      personal_data_removed_reason: 'request',
    });
  });
});

describe('the same without JavaScript', () => {
  let context: BrowserContext;
  let page: Page;
  let id: number;

  beforeAll(async () => {
    id = await seedOpinion('NJ01', { name: '高橋 三枝', email: 'takahashi.mie@example.jp', phone: '090-7777-1234' });
    context = await launchBrowser({ javaScriptEnabled: false });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('searches, turns back from the confirmation, then confirms the erasure', async () => {
    await signIn(page);
    await page.getByLabel('メールアドレスまたは電話番号').fill('Takahashi.Mie@example.jp');
    await page.getByRole('button', { name: '検索する' }).click();
    await page
      .getByRole('heading', { level: 2, name: /検索結果:メールアドレス「Takahashi\.Mie@example\.jp」の意見 1件/ })
      .waitFor();

    await page.getByRole('button', { name: '消去する' }).click();
    await page.getByRole('heading', { level: 2, name: /消去の確認/ }).waitFor();
    await page.getByRole('button', { name: 'やめて検索結果に戻る' }).click();
    await page.getByRole('heading', { level: 2, name: /検索結果/ }).waitFor();
    expect((await personOf(id)).email).toBe('takahashi.mie@example.jp');

    await page.getByRole('button', { name: '消去する' }).click();
    await page.getByRole('button', { name: '1件の意見から個人情報を消去する' }).click();
    await page
      .getByRole('status')
      .getByText(/から個人情報を消去しました。/)
      .waitFor();
    // (axe needs JavaScript: the same markup is checked in the tests above.)
    expect(await personOf(id)).toMatchObject({
      name: null,
      email: null,
      phone: null,
      personal_data_removed_reason: 'request',
    });
  });
});
