// Chromium: a clerk records a phone opinion with a postal address and prints
// the acknowledgement (受付票) as a letter — addressee, sender, date — on one
// A4 sheet, with and without JavaScript; the public pages that name the
// opinion's target pass axe.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

const ADDRESS = '嘉興市秀洲区 新城路123号 4幢501室';
const ISSUER = '中国共産党嘉興市秀洲区委員会';
const MAILBOX = '嘉興市秀洲区洪興路1765号秀洲区行政センター527室';

let server: TestServer;
let db: DB;
let clerk: TestUser;
let withJs: BrowserContext;
let noJs: BrowserContext;

beforeAll(async () => {
  server = await startTestServer();
  clerk = await createTestUser(server.databasePath, 'staff', { displayName: '受付 花子' });
  db = openDatabase(server.databasePath).db;
  [withJs, noJs] = await Promise.all([launchBrowser(), launchBrowser({ javaScriptEnabled: false })]);
});

afterAll(async () => {
  await Promise.all([withJs?.close(), noJs?.close()]);
  await db?.destroy();
  await server?.stop();
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/staff/login`);
  await page.getByLabel('メールアドレス').fill(clerk.email);
  await page.getByLabel('パスワード').fill(clerk.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.getByRole('heading', { level: 1, name: '受付一覧' }).waitFor();
}

async function record(page: Page, fields: { channel: '電話' | '郵便'; name: string; body: string }) {
  await page.getByRole('navigation', { name: '職員メニュー' }).getByRole('link', { name: '電話・郵便の記録' }).click();
  await page.getByRole('heading', { level: 1, name: '電話・郵便・来庁の意見を記録' }).waitFor();
  await page.getByLabel(fields.channel, { exact: true }).check();
  await page.getByLabel('受付日時(北京時間)').fill('2026-11-20T10:15');
  await page.getByLabel('対象の項目').selectOption({ value: '1:5:2' });
  await page.getByLabel('意見の内容').fill(fields.body);
  await page.getByLabel('氏名').fill(fields.name);
  await page.getByLabel('電話番号').fill('0573-0000-1111');
  await page.getByLabel('住所(郵送で回答する場合)').fill(ADDRESS);
  await page.getByLabel('回答を希望している').check();
  await page.getByRole('button', { name: '記録して受付票を作成する' }).click();
  await page.waitForURL(/\/staff\/opinions\/\d+\/ack$/);
  await page.getByRole('heading', { level: 1, name: 'ご意見の受付について' }).waitFor();
}

/** The letter in print: addressee and sender shown, the console's chrome gone, one A4 page. */
async function checkPrinted(page: Page, name: string) {
  await page.emulateMedia({ media: 'print' });
  try {
    const to = page.getByRole('region', { name: '宛先' });
    const from = page.getByRole('region', { name: '差出人' });
    expect(await to.isVisible()).toBe(true);
    expect(await from.isVisible()).toBe(true);
    expect(await to.textContent()).toContain(ADDRESS);
    expect(await to.textContent()).toContain(`${name} 様`);
    expect(await from.textContent()).toContain(ISSUER);
    expect(await page.getByRole('heading', { level: 1, name: 'ご意見の受付について' }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: '職員メニュー' }).isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: '意見の詳細へ戻る' }).isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: /意見箱/ }).first().isVisible()).toBe(false);
    for (const button of await page.getByRole('button').all()) expect(await button.isVisible()).toBe(false);
    // The addressee sits above the sender's block's bottom edge, on the left: a letterhead.
    const [toBox, fromBox] = await Promise.all([to.boundingBox(), from.boundingBox()]);
    expect(toBox!.x).toBeLessThan(fromBox!.x);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(1);
    await screenshot(page, `ack-print-${name.replace(/\s+/g, '-')}`);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
}

describe('the acknowledgement letter', () => {
  it('is addressed to the postal address typed by the clerk and prints as one A4 page (with JavaScript)', async () => {
    const page = await withJs.newPage();
    await signIn(page);
    await record(page, { channel: '電話', name: '電話 次郎', body: '電話で受けた意見です。街灯が暗いので増やしてほしいとのことでした。' });
    expect(await axeViolations(page)).toEqual([]);
    const to = page.getByRole('region', { name: '宛先' });
    expect(await to.textContent()).toBe(`${ADDRESS}電話 次郎 様`);
    const from = page.getByRole('region', { name: '差出人' });
    expect(await from.textContent()).toBe(`${ISSUER}${MAILBOX}電話 0573-827222911`);
    expect(await page.locator('.ack__date time').textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(await page.textContent('.ack__facts')).toContain('第五項「');
    expect(await page.getByRole('button', { name: 'このページを印刷' }).isVisible()).toBe(true);
    await checkPrinted(page, '電話 次郎');

    const row = await db.selectFrom('opinions').select(['address', 'channel']).where('name', '=', '電話 次郎').executeTakeFirstOrThrow();
    expect(row).toEqual({ address: ADDRESS, channel: 'phone' });
    await page.close();
  });

  // (axe needs JavaScript in the page: the letter's markup is checked in the test above.)
  it('works the same without JavaScript: the form posts, the letter prints from the browser menu', async () => {
    const page = await noJs.newPage();
    await signIn(page);
    await record(page, { channel: '郵便', name: '郵便 三郎', body: '郵便で届いた意見です。バス停の屋根を直してほしいとのことでした。' });
    // Printing by button needs JavaScript; without it there is no dead button.
    expect(await page.getByRole('button', { name: 'このページを印刷' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: '宛先' }).textContent()).toBe(`${ADDRESS}郵便 三郎 様`);
    await checkPrinted(page, '郵便 三郎');
    await page.close();
  });
});

describe('public pages naming the target', () => {
  it('shows /track and the receipt without the address and without accessibility violations', async () => {
    const row = await db.selectFrom('opinions').select(['tracking_number', 'receipt_token']).where('name', '=', '電話 次郎').executeTakeFirstOrThrow();
    const page = await withJs.newPage();
    await page.goto(`${server.url}/track?number=${row.tracking_number}`);
    await page.getByRole('heading', { level: 2, name: `受付番号 ${row.tracking_number}` }).waitFor();
    expect(await page.textContent('main')).not.toContain('新城路');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.url}/receipts/${row.receipt_token}`);
    await page.getByRole('heading', { level: 1, name: 'ご意見を受け付けました' }).waitFor();
    expect(await page.textContent('main')).not.toContain('新城路');
    expect(await page.textContent('main')).toContain('第五項「');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
