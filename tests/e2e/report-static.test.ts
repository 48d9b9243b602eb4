// The report page hydrates less (decision 017): its notice text is kept as
// the server sent it, each form comes inside <noscript> and React renders the
// fields when the form is opened. A reader must not notice any of it: the text
// is all there (also after a client-side navigation, where there is no server
// DOM to keep), the forms send in place, and nothing logs an error.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';

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

/** A page that records every console error and uncaught exception (React reports hydration mismatches there). */
async function watchedPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

async function hydrated(page: Page) {
  await page.locator('input[name="_js"]').first().waitFor({ state: 'attached' });
}

/** The text of every section of the notice (the forms left out: one page holds them in <noscript>, the other not). */
function sectionTexts(page: Page): Promise<string[]> {
  return page.locator('article.report > section.section').evaluateAll((sections) =>
    sections.map((section) => {
      const copy = section.cloneNode(true) as HTMLElement;
      for (const form of copy.querySelectorAll('details, noscript')) form.remove();
      return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
    }),
  );
}

async function sendInPlace(page: Page, section: number, body: string) {
  const region = page.locator(`#section-${section}`);
  await region.getByText('この項目について意見を送る').click();
  const form = region.locator('form');
  await form.getByLabel('ご意見・ご提案').fill(body);
  await form.getByLabel(/個人情報の取扱いに同意する/).check();
  await form.getByRole('button', { name: '意見を送信する' }).click();
  const done = page.locator(`#op-${section}-done`);
  await done.waitFor();
  return done.textContent();
}

describe('the report page as the server sends it', () => {
  it('carries every form in <noscript>, for readers without JavaScript', async () => {
    const html = await (await fetch(server.url + REPORT)).text();
    const forms = html.match(/<noscript><form method="post" action="\/reports\/xiuzhou-inspection-2023\/opinions"/g) ?? [];
    // Thirteen sections and the notice as a whole.
    expect(forms).toHaveLength(14);
    expect(html).toContain('id="op-7-body"');
  });

  it('shows the whole notice, keeps its text out of React, and hydrates without an error', async () => {
    const { page, errors } = await watchedPage();
    await page.goto(server.url + REPORT);
    await hydrated(page);
    expect(await page.locator('article.report > section.section[id^="section-"]:not(#section-0)').count()).toBe(13);
    expect(await page.locator('[id^="section-"].item').count()).toBe(52);
    expect(await page.locator('#section-1-1 h3').textContent()).toContain('政策支持を強化する');
    for (const text of await sectionTexts(page)) expect(text.length).toBeGreaterThan(20);
    // Readable: a section far down is laid out and rendered once the reader gets there.
    const last = page.locator('#section-13');
    await last.scrollIntoViewIfNeeded();
    // innerText is empty while the section is skipped (content-visibility): it fills once the section is rendered.
    await page.waitForFunction(() => (document.querySelector('#section-13 h2') as HTMLElement | null)?.innerText.startsWith('十三、'));
    expect((await last.boundingBox())?.height ?? 0).toBeGreaterThan(100);

    const fiber = (selector: string) =>
      page.locator(selector).first().evaluate((el) => Object.keys(el).some((key) => key.startsWith('__reactFiber')));
    // The notice text is the server's markup; the forms are React's.
    expect(await fiber('#section-1-1 h3')).toBe(false);
    expect(await fiber('#op-1-form')).toBe(true);
    // A closed form has no fields yet: they come when it is opened.
    expect(await page.locator('#op-1-body').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('with JavaScript', () => {
  it('sends a section’s form in place and shows the tracking number', async () => {
    const { page, errors } = await watchedPage();
    await page.goto(server.url + REPORT);
    await hydrated(page);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const done = await sendInPlace(page, 2, `静的な本文の下のフォームから送った意見です。${Date.now()}`);
    expect(done).toMatch(TRACKING);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the whole notice after a client-side navigation from the list, and its forms send in place', async () => {
    const direct = await browser.newPage();
    await direct.goto(server.url + REPORT);
    await hydrated(direct);
    const expected = await sectionTexts(direct);
    await direct.close();

    const { page, errors } = await watchedPage();
    await page.goto(server.url + '/');
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByRole('link', { name: /第15期省委員会第1回巡視整備/ }).click();
    await page.waitForURL(/\/reports\/xiuzhou-inspection-2023$/);
    await page.getByRole('heading', { level: 1, name: /巡視整備の進展状況/ }).waitFor();
    // Rendered by React in this document: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await hydrated(page);
    expect(await page.locator('[id^="section-"].item').count()).toBe(52);
    expect(await sectionTexts(page)).toEqual(expected);

    const done = await sendInPlace(page, 4, `一覧から移動して送った意見です。${Date.now()}`);
    expect(done).toMatch(TRACKING);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('with JavaScript on but the page never hydrating', () => {
  it('puts the forms in place as plain HTML a few seconds after loading, and one posts to its receipt', async () => {
    const page = await browser.newPage();
    // A bad connection: every script of the build fails to load.
    await page.route('**/build/**/*.js', (route) => route.abort());
    await page.goto(server.url + REPORT);
    const region = page.locator('#section-3');
    // The fallback waits DEFERRED_FALLBACK_MS after the load event: no fields before it.
    expect(await region.locator('textarea').count()).toBe(0);
    await region.locator('textarea[name="body"]').waitFor({ state: 'attached', timeout: 15_000 });
    expect(await page.locator('details.opinion-form form').count()).toBe(14);
    expect(await page.locator('details.opinion-form noscript').count()).toBe(0);
    await region.getByText('この項目について意見を送る').click();
    const form = region.locator('form');
    await form.getByLabel('ご意見・ご提案').fill(`スクリプトが読めなかった画面から送った意見です。${Date.now()}`);
    await form.getByLabel(/個人情報の取扱いに同意する/).check();
    await form.getByRole('button', { name: '意見を送信する' }).click();
    await page.waitForURL(/\/receipts\//);
    expect(await page.locator('body').textContent()).toMatch(TRACKING);
    await page.close();
  });

  it('leaves a hydrated page alone: each form once, its <noscript> copy still there', async () => {
    const { page, errors } = await watchedPage();
    await page.goto(server.url + REPORT);
    await hydrated(page);
    const loadedAt = await page.evaluate(() => performance.timing.loadEventEnd);
    // Past the fallback's moment on the page's own clock.
    await page.waitForFunction((at) => Date.now() > at + 4_500, loadedAt, { timeout: 15_000, polling: 250 });
    expect(await page.locator('details.opinion-form noscript').count()).toBe(14);
    expect(await page.locator('details.opinion-form form').count()).toBe(14);
    expect(await page.locator('textarea[name="body"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
