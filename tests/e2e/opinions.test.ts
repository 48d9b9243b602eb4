// A citizen sends opinions from a phone-sized browser, with and without JavaScript.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { waitFor } from '../helpers/http';

const REPORT = '/reports/xiuzhou-inspection-2023';
const TRACKING = /XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

let server: TestServer;
let browser: BrowserContext;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '100' });
  browser = await launchBrowser({ width: 360, height: 740 });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function countByBody(body: string): Promise<number> {
  const { db } = openDatabase(server.databasePath);
  try {
    const row = await db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).where('body', '=', body).executeTakeFirstOrThrow();
    return row.n;
  } finally {
    await db.destroy();
  }
}

async function openForm(page: Page, section: number) {
  const region = page.locator(`#section-${section}`);
  await region.getByText(section === 0 ? '通報全体について意見を送る' : 'この項目について意見を送る').click();
  return region.locator('form');
}

/**
 * axe needs JavaScript, which the no-JS context turns off: serve the page's
 * HTML (scripts removed, so nothing hydrates) at its own origin in the JS
 * context and check it there, stylesheets and all.
 */
async function axeOfNoJsPage(html: string) {
  const page = await browser.newPage();
  const url = `${server.url}/__axe-no-js`;
  await page.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html.replace(/<script\b[\s\S]*?<\/script>/g, '') }),
  );
  await page.goto(url);
  const violations = await axeViolations(page);
  await page.close();
  return violations;
}

async function hydrated(page: Page) {
  // The fetcher marks its posts once React has hydrated the form.
  await page.locator('input[name="_js"]').first().waitFor({ state: 'attached' });
}

/**
 * The report page rendered by React: a document load of it is not hydrated
 * (decision 017), so come to it from the list, a client-side navigation.
 */
async function openReportInPlace(page: Page) {
  await page.goto(server.url + '/');
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);
  await page.getByRole('link', { name: /第15期省委員会第1回巡視整備/ }).click();
  await page.waitForURL(server.url + REPORT);
  await hydrated(page);
}

describe('with JavaScript, the page rendered by React', () => {
  it('sends in place and moves focus to the tracking number', async () => {
    const page = await browser.newPage();
    await openReportInPlace(page);
    const form = await openForm(page, 3);
    const body = `スマートフォンから送った意見です。計画の進み具合を教えてください。${Date.now()}`;
    await form.getByLabel('対象の小項目').selectOption({ label: '(二)強化プロジェクトの計画。' });
    await form.getByLabel('ご意見・ご提案').fill(body);
    await form.getByLabel('お名前(任意)').fill('山田 太郎');
    await form.getByLabel(/個人情報の取扱いに同意する/).check();
    await form.getByRole('button', { name: '意見を送信する' }).click();

    const done = page.locator('#op-3-done');
    await done.waitFor();
    expect(await done.textContent()).toMatch(TRACKING);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('op-3-done');
    expect(page.url()).toBe(server.url + REPORT);
    expect(await countByBody(body)).toBe(1);
    await screenshot(page, 'opinion-sent-js-360');
    await page.close();
  });

  it('shows errors beside the fields, focuses the first and passes axe', async () => {
    const page = await browser.newPage();
    await openReportInPlace(page);
    const form = await openForm(page, 5);
    await form.getByLabel('ご意見・ご提案').fill('短すぎる');
    await form.getByLabel('メールアドレス(任意)').fill('not-an-address');
    await form.getByRole('button', { name: '意見を送信する' }).click();

    const bodyError = page.locator('#op-5-body-error');
    await bodyError.waitFor();
    expect(await bodyError.textContent()).toBe('意見は10文字以上で入力してください(現在4文字)。');
    expect(await page.locator('#op-5-email-error').textContent()).toContain('メールアドレスの形式が正しくありません');
    expect(await page.locator('#op-5-consent-error').textContent()).toContain('同意が必要です');
    const textarea = form.getByLabel('ご意見・ご提案');
    expect(await textarea.getAttribute('aria-invalid')).toBe('true');
    expect(await textarea.getAttribute('aria-describedby')).toContain('op-5-body-error');
    expect(await textarea.inputValue()).toBe('短すぎる');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('op-5-body');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'opinion-errors-js-360');
    await page.close();
  });

  it.each(['rendered by React', 'the document, not hydrated'])('sends one opinion on a double click (%s)', async (how) => {
    const page = await browser.newPage();
    const inPlace = how === 'rendered by React';
    if (inPlace) await openReportInPlace(page);
    else await page.goto(server.url + REPORT);
    const form = await openForm(page, 7);
    // Every POST the page starts, and how many have finished.
    let started = 0;
    let finished = 0;
    page.on('request', (r) => r.method() === 'POST' && started++);
    page.on('requestfinished', (r) => r.method() === 'POST' && finished++);
    page.on('requestfailed', (r) => r.method() === 'POST' && finished++);
    const body = `二度押ししても一件だけ届くことを確かめる意見です。${Date.now()}`;
    await form.getByLabel('ご意見・ご提案').fill(body);
    await form.getByLabel(/個人情報の取扱いに同意する/).check();
    await form.getByRole('button', { name: '意見を送信する' }).dblclick();
    if (inPlace) await page.locator('#op-7-done').waitFor();
    else await page.waitForURL(/\/receipts\//);
    // A second click's request, if the page sent one, has landed before counting.
    await waitFor(() => started > 0 && finished === started, { message: 'the page’s POSTs to finish' });
    expect(await countByBody(body)).toBe(1);
    // The document's script drops the second submit: one request, not two caught by the server.
    if (!inPlace) expect(started).toBe(1);
    await page.close();
  });
});

describe('with JavaScript, the document as loaded (not hydrated)', () => {
  it('sends an opinion on the notice as a whole and lands on the receipt', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + REPORT + '#section-0');
    const form = await openForm(page, 0);
    expect(await form.getByLabel('対象の小項目').count()).toBe(0);
    const body = `通報全体への意見です。わかりやすい公表をありがとうございます。${Date.now()}`;
    await form.getByLabel('ご意見・ご提案').fill(body);
    await form.getByLabel(/個人情報の取扱いに同意する/).check();
    await Promise.all([page.waitForURL(/\/receipts\//), form.getByRole('button', { name: '意見を送信する' }).click()]);
    expect(await page.locator('main').textContent()).toMatch(TRACKING);
    expect(await countByBody(body)).toBe(1);
    await page.close();
  });
});

describe('without JavaScript', () => {
  let noJs: BrowserContext;
  beforeAll(async () => {
    noJs = await launchBrowser({ javaScriptEnabled: false, width: 360, height: 740 });
  });
  afterAll(async () => {
    await noJs?.close();
  });

  it('shows a 400 page with the errors and what was typed, then sends to the receipt', async () => {
    const page = await noJs.newPage();
    await page.goto(server.url + REPORT);
    const form = await openForm(page, 9);
    await form.getByLabel('ご意見・ご提案').fill('短い');
    await form.getByLabel('お名前(任意)').fill('佐藤 花子');
    const [response] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: '意見を送信する' }).click()]);
    expect(response?.status()).toBe(400);
    expect(await page.locator('#op-9-body-error').textContent()).toContain('10文字以上');
    expect(await page.getByLabel('お名前(任意)').inputValue()).toBe('佐藤 花子');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('op-9-body');
    expect(await axeOfNoJsPage(await page.content())).toEqual([]);
    await screenshot(page, 'opinion-errors-nojs-360');

    const body = `JavaScriptなしで送った意見です。印刷業の整備を続けてください。${Date.now()}`;
    await page.getByLabel('ご意見・ご提案').fill(body);
    await page.getByLabel(/個人情報の取扱いに同意する/).check();
    await Promise.all([page.waitForURL(/\/receipts\//), page.getByRole('button', { name: '意見を送信する' }).click()]);
    const main = await page.locator('main').textContent();
    expect(main).toMatch(TRACKING);
    expect(main).toContain(body);
    expect(main).not.toContain('佐藤 花子');
    expect(await countByBody(body)).toBe(1);
    await screenshot(page, 'opinion-receipt-nojs-360');
    const receiptUrl = page.url();
    const withJs = await browser.newPage();
    await withJs.goto(receiptUrl);
    expect(await axeViolations(withJs)).toEqual([]);
    await withJs.close();

    // The receipt's number can be looked up.
    const trackingNumber = TRACKING.exec(main ?? '')![0];
    await page.getByRole('link', { name: '受付番号での状況確認' }).click();
    await page.waitForURL(/\/track\?number=/);
    expect(await page.locator('.status-label').textContent()).toBe('受付');
    expect(await page.locator('main').textContent()).toContain(trackingNumber);
    await page.close();
  });
});
