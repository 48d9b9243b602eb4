// Chromium: the public results board is reached from the report page, shows
// its charts with the same figures in tables, prints, and has no axe violations.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { BUNDLED_SLUG } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  const { db } = openDatabase(server.databasePath);
  try {
    const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
    const now = new Date().toISOString();
    for (let i = 0; i < 4; i++) {
      await db
        .insertInto('opinions')
        .values({
          tracking_number: `XZ-2026-E2ER-000${i}`,
          receipt_token: `e2e-results-receipt-${i}-abcdefgh`,
          report_id: reportId,
          section_number: 3,
          item_number: 1,
          body: `結果ページのテスト ${i}`,
          channel: i === 0 ? 'phone' : 'web',
          received_at: now,
          due_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  } finally {
    await db.destroy();
  }
  context = await launchBrowser();
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('the results board', () => {
  it('is linked from the report page and shows figures in tables beside the charts', async () => {
    await page.goto(`${server.url}/reports/${BUNDLED_SLUG}`);
    await page.getByRole('link', { name: '意見への対応状況を見る' }).click();
    await page.getByRole('heading', { level: 1, name: '意見への対応状況' }).waitFor();
    expect(await page.getByRole('img', { name: /項ごとの意見数/ }).count()).toBe(1);
    const table = page.getByRole('table', { name: '項ごとの意見数・回答状況(表)' });
    const row = table.getByRole('row', { name: /^第三項/ });
    expect((await row.getByRole('cell').allTextContents()).slice(0, 3)).toEqual(['4', '<3', '<3']);
    expect(await page.getByRole('link', { name: 'CSVでダウンロード' }).getAttribute('href')).toBe(`/reports/${BUNDLED_SLUG}/results.csv`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'results-board');
  });

  it('prints without the toolbar', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('link', { name: 'CSVでダウンロード' }).isVisible()).toBe(false);
    expect(await page.getByRole('table', { name: '項ごとの意見数・回答状況(表)' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });
});
