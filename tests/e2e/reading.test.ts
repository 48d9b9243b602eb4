import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: BrowserContext;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('reading the notice', () => {
  it('goes from the list to the notice and to a section through the table of contents', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + '/');
    await page.getByRole('link', { name: /第15期省委員会第1回巡視整備/ }).click();
    await page.waitForURL(/\/reports\/xiuzhou-inspection-2023$/);
    await page.getByRole('heading', { level: 1, name: /巡視整備の進展状況/ }).waitFor();

    await page.getByRole('navigation', { name: '目次' }).getByRole('link', { name: /^十、/ }).click();
    await page.waitForURL(/#section-10$/);
    const section = page.locator('#section-10');
    await section.getByRole('heading', { level: 2 }).waitFor();
    const inView = await section.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight / 2;
    });
    expect(inView).toBe(true);
    await page.close();
  });

  it('shows every section, item and the channels block', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + '/reports/xiuzhou-inspection-2023');
    expect(await page.locator('section.section[id^="section-"]:not(#section-0)').count()).toBe(13);
    expect(await page.locator('[id^="section-"].item').count()).toBe(52);
    const channels = page.getByRole('region', { name: '意見・提案の窓口' }).first();
    await expect(channels.getByRole('link', { name: '0573-827222911' }).getAttribute('href')).resolves.toBe('tel:0573827222911');
    expect(await channels.textContent()).toContain('嘉興市秀洲区洪興路1765号秀洲区行政センター527室');
    await page.getByRole('button', { name: 'このページを印刷' }).waitFor({ state: 'visible' });
    await page.close();
  });

  it('reads with JavaScript turned off', async () => {
    const noJs = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.newPage();
      await page.goto(server.url + '/reports/xiuzhou-inspection-2023');
      expect(await page.locator('h2').filter({ hasText: '十三、' }).count()).toBe(1);
      expect(await page.locator('[id^="section-"].item').count()).toBe(52);
      await page.getByRole('link', { name: /^五、/ }).click();
      expect(page.url()).toMatch(/#section-5$/);
    } finally {
      await noJs.close();
    }
  });

  it('has no WCAG 2.1 A/AA violations on the list and the notice', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + '/');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(server.url + '/reports/xiuzhou-inspection-2023');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it.each([360, 1280])('renders at %i px wide (screenshot under test-results/)', async (width) => {
    const ctx = await launchBrowser({ width, height: 800 });
    try {
      const page = await ctx.newPage();
      await page.goto(server.url + '/reports/xiuzhou-inspection-2023');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const file = await screenshot(page, `report-${width}`);
      expect(file).toMatch(/report-\d+\.png$/);
    } finally {
      await ctx.close();
    }
  });
});
