// A citizen adds photos to an opinion in Chromium: the chosen files are
// listed with their sizes, one can be removed before sending, an oversized
// file is refused before anything is uploaded (with the server's words), the
// form passes axe with files chosen, and what is sent is what was listed.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { jpegWithGps, pdf, png } from '../helpers/attachments';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';

const REPORT = '/reports/xiuzhou-inspection-2023';
const TRACKING = /XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;
const PICKER = '写真・書類の添付(任意)';

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

async function attachmentsOf(body: string): Promise<Array<{ name: string; type: string }>> {
  const { db } = openDatabase(server.databasePath);
  try {
    return await db
      .selectFrom('attachments as a')
      .innerJoin('opinions as o', 'o.id', 'a.opinion_id')
      .select(['a.name', 'a.type'])
      .where('o.body', '=', body)
      .orderBy('a.id')
      .execute();
  } finally {
    await db.destroy();
  }
}

async function openForm(page: Page, section: number) {
  const region = page.locator(`#section-${section}`);
  await region.getByText('この項目について意見を送る').click();
  return region.locator('form');
}

/**
 * The report page rendered by React, where the picker lists the files: a
 * document load of it is not hydrated (decision 017), so come from the list.
 */
async function openReportInPlace(page: Page) {
  await page.goto(server.url + '/');
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);
  await page.getByRole('link', { name: /第15期省委員会第1回巡視整備/ }).click();
  await page.waitForURL(server.url + REPORT);
  await page.locator('input[name="_js"]').first().waitFor({ state: 'attached' });
}

describe('choosing files with JavaScript', () => {
  it('lists names and sizes, removes one, refuses an oversized file before upload, passes axe, and sends the rest', async () => {
    const page = await browser.newPage();
    const uploads: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') uploads.push(r.url());
    });
    await openReportInPlace(page);
    const form = await openForm(page, 4);
    const picker = form.getByLabel(PICKER);

    const photo = await jpegWithGps({ r: 120, g: 30, b: 30 }, 1200, 900);
    await picker.setInputFiles([
      { name: '道路の写真.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: '地図.png', mimeType: 'image/png', buffer: await png(300, 200) },
    ]);
    const chosen = form.getByRole('list', { name: '選んだファイル' });
    await expect.poll(() => chosen.getByRole('listitem').count()).toBe(2);
    expect(await chosen.textContent()).toContain('道路の写真.jpg');
    expect(await chosen.textContent()).toMatch(/道路の写真\.jpg \(\d+ KB\)/);

    // Too large: refused at once with the server's message; nothing is uploaded.
    await picker.setInputFiles([{ name: '大きすぎる写真.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(6 * 1024 * 1024, 1) }]);
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('「大きすぎる写真.jpg」は大きすぎます。添付できるのは1件5 MBまでです。');
    expect(await picker.getAttribute('aria-invalid')).toBe('true');
    expect(await chosen.getByRole('listitem').count()).toBe(2);
    expect(uploads).toEqual([]);

    // A third file, chosen later, joins the list.
    await picker.setInputFiles([{ name: '手紙.pdf', mimeType: 'application/pdf', buffer: pdf() }]);
    await expect.poll(() => chosen.getByRole('listitem').count()).toBe(3);

    expect(await form.getByRole('alert').count(), 'a good choice clears the refusal').toBe(0);

    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'attachments-chosen-360');

    await form.getByRole('button', { name: '「地図.png」を取り除く' }).click();
    await expect.poll(() => chosen.getByRole('listitem').count()).toBe(2);
    expect(await picker.evaluate((input: HTMLInputElement) => Array.from(input.files ?? []).map((f) => f.name))).toEqual(['道路の写真.jpg', '手紙.pdf']);

    const body = `写真を添えて送ります。道路に穴があいています。${Date.now()}`;
    await form.getByLabel('ご意見・ご提案').fill(body);
    await form.getByLabel(/個人情報の取扱いに同意する/).check();
    await form.getByRole('button', { name: '意見を送信する' }).click();
    const done = page.locator('#op-4-done');
    await done.waitFor();
    expect(await done.textContent()).toMatch(TRACKING);
    expect(await attachmentsOf(body)).toEqual([
      { name: '道路の写真.jpg', type: 'image/jpeg' },
      { name: '手紙.pdf', type: 'application/pdf' },
    ]);
    await page.close();
  });
});

describe('a document load of the report page (not hydrated)', () => {
  it('sends a file with the plain form opened by the page’s script, to the receipt', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + REPORT);
    const form = await openForm(page, 5);
    await form.getByLabel(PICKER).setInputFiles([{ name: '案内図.png', mimeType: 'image/png', buffer: await png(200, 120) }]);
    const body = `静的な文書から写真を添えて送ります。${Date.now()}`;
    await form.getByLabel('ご意見・ご提案').fill(body);
    await form.getByLabel(/個人情報の取扱いに同意する/).check();
    await Promise.all([page.waitForURL(/\/receipts\//), form.getByRole('button', { name: '意見を送信する' }).click()]);
    expect(await page.locator('main').textContent()).toMatch(TRACKING);
    expect(await attachmentsOf(body)).toEqual([{ name: '案内図.png', type: 'image/png' }]);
    await page.close();
  });
});
