// The report page hydrates less (decision 017). A document load is not
// hydrated at all: no Remix scripts, each form inside <noscript>, and one small
// inline script (StaticPageScript) that turns a form into HTML when its
// section's <details> opens, so it posts as a plain form. A client-side
// navigation from a hydrated page still renders the page with React (the text
// as StaticParts, the forms sent in place). A reader must not miss anything:
// the text is all there, a form sends to a tracking number, errors keep what
// was typed, the print button prints, nothing logs an error, axe is clean.
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
async function watchedPage(context = browser): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
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

async function fillOpinion(page: Page, section: number, body: string) {
  const region = page.locator(`#section-${section}`);
  await region.getByText(section === 0 ? '通報全体について意見を送る' : 'この項目について意見を送る').click();
  const form = region.locator('form');
  await form.getByLabel('ご意見・ご提案').fill(body);
  await form.getByLabel(/個人情報の取扱いに同意する/).check();
  return form;
}

async function sendInPlace(page: Page, section: number, body: string) {
  const form = await fillOpinion(page, section, body);
  await form.getByRole('button', { name: '意見を送信する' }).click();
  const done = page.locator(`#op-${section}-done`);
  await done.waitFor();
  return done.textContent();
}

describe('the report page as the server sends it', () => {
  it('carries no module script and no modulepreload, only its own small script, and every form in <noscript>', async () => {
    const res = await fetch(server.url + REPORT);
    const html = await res.text();
    expect(html).not.toMatch(/<script[^>]+type="module"/);
    expect(html).not.toMatch(/<link[^>]+rel="modulepreload"/);
    expect(html).not.toContain('__remixContext');
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][1]).toContain("querySelectorAll('details.opinion-form')");
    expect(scripts[0][1].length).toBeLessThan(2_000);
    const forms = html.match(/<noscript><form method="post" action="\/reports\/xiuzhou-inspection-2023\/opinions"/g) ?? [];
    // Thirteen sections and the notice as a whole.
    expect(forms).toHaveLength(14);
    expect(html).toContain('id="op-7-body"');
  });

  it('shows the whole notice without loading any script file, with no error and no axe violation', async () => {
    const { page, errors } = await watchedPage();
    const scriptFiles: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script' || r.url().endsWith('.js')) scriptFiles.push(r.url());
    });
    await page.goto(server.url + REPORT);
    await page.waitForLoadState('load');
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

    expect(scriptFiles).toEqual([]);
    expect(await page.evaluate(() => '__remixRouter' in window)).toBe(false);
    // A closed form is still the <noscript> text: no fields in the page yet.
    expect(await page.locator('details.opinion-form noscript').count()).toBe(14);
    expect(await page.locator('#op-1-body').count()).toBe(0);
    // The print button, made by the page's script.
    await page.getByRole('button', { name: 'このページを印刷' }).waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a document load, with JavaScript', () => {
  it('reveals a section’s form when it is opened, and sending it lands on the receipt with a tracking number', async () => {
    const { page, errors } = await watchedPage();
    await page.goto(server.url + REPORT);
    const body = `静的な文書から送った意見です。${Date.now()}`;
    const form = await fillOpinion(page, 3, body);
    // Only the opened form: the others stay <noscript> text.
    expect(await page.locator('details.opinion-form noscript').count()).toBe(13);
    expect(await page.locator('details.opinion-form form').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await form.getByLabel('対象の小項目').selectOption({ label: '(二)強化プロジェクトの計画。' });
    const [response] = await Promise.all([
      page.waitForNavigation({ url: /\/receipts\// }),
      form.getByRole('button', { name: '意見を送信する' }).click(),
    ]);
    expect(response?.status()).toBe(200);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toMatch(TRACKING);
    expect(main).toContain(body);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers a mistake with the form page, its errors and what was typed', async () => {
    const { page, errors } = await watchedPage();
    await page.goto(server.url + REPORT);
    const region = page.locator('#section-6');
    await region.getByText('この項目について意見を送る').click();
    const form = region.locator('form');
    await form.getByLabel('ご意見・ご提案').fill('短い意見');
    await form.getByLabel('お名前(任意)').fill('静的 花子');
    const [response] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: '意見を送信する' }).click()]);
    expect(response?.status()).toBe(400);
    expect(await page.locator('#op-6-body-error').textContent()).toContain('10文字以上');
    expect(await page.getByLabel('ご意見・ご提案').inputValue()).toBe('短い意見');
    expect(await page.getByLabel('お名前(任意)').inputValue()).toBe('静的 花子');
    expect(await axeViolations(page)).toEqual([]);
    // The browser reports the 400 document itself; nothing else.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await page.close();
  });

  it('turns a form that is already open into HTML at once (a page restored open)', async () => {
    const page = await browser.newPage();
    // The same document with the closing section's <details> open in the HTML, as a restored page can be.
    await page.route(server.url + REPORT + '?open', async (route) => {
      const res = await route.fetch({ url: server.url + REPORT });
      const html = (await res.text()).replace(/(<section id="section-0"[\s\S]*?<details class="opinion-form")>/, '$1 open>');
      await route.fulfill({ response: res, body: html });
    });
    await page.goto(server.url + REPORT + '?open');
    const closing = page.locator('#section-0');
    await closing.getByLabel('ご意見・ご提案').waitFor();
    expect(await closing.locator('noscript').count()).toBe(0);
    expect(await page.locator('details.opinion-form noscript').count()).toBe(13);
    await page.close();
  });

  it('prints with the print button', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + REPORT);
    await page.evaluate(() => {
      window.print = () => Object.assign(window, { printed: true });
    });
    await page.getByRole('button', { name: 'このページを印刷' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed?: boolean }).printed)).toBe(true);
    await page.close();
  });
});

describe('a client-side navigation into the report page', () => {
  it('hydrates it, shows the same text as the document, and its forms send in place', async () => {
    const direct = await browser.newPage();
    await direct.goto(server.url + REPORT);
    const expected = await sectionTexts(direct);
    await direct.close();

    const { page, errors } = await watchedPage();
    await page.goto(server.url + '/');
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const loaderData = page.waitForResponse((r) => new URL(r.url()).pathname === `${REPORT}.data`);
    await page.getByRole('link', { name: /第15期省委員会第1回巡視整備/ }).click();
    await page.waitForURL(/\/reports\/xiuzhou-inspection-2023$/);
    // Its loader data came from the page cache, the same bytes for everyone (an ETag; Remix's own answer has none).
    expect(await (await loaderData).headerValue('etag')).toMatch(/^W\/"/);
    await page.getByRole('heading', { level: 1, name: /巡視整備の進展状況/ }).waitFor();
    // Rendered by React in this document: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await hydrated(page);
    expect(await page.locator('[id^="section-"].item').count()).toBe(52);
    expect(await sectionTexts(page)).toEqual(expected);
    // The forms are React's (a fiber on the element), and the print button is React's own.
    expect(await page.locator('#op-1-form').evaluate((el) => Object.keys(el).some((key) => key.startsWith('__reactFiber')))).toBe(true);
    expect(await page.getByRole('button', { name: 'このページを印刷' }).count()).toBe(1);

    const done = await sendInPlace(page, 4, `一覧から移動して送った意見です。${Date.now()}`);
    expect(done).toMatch(TRACKING);
    expect(page.url()).toBe(server.url + REPORT);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // Back to the list the same way: its loader data is the page cache's too.
    const listData = page.waitForResponse((r) => new URL(r.url()).pathname === '/_root.data');
    await page.getByRole('navigation', { name: 'サイト' }).getByRole('link', { name: '通報一覧' }).click();
    await page.waitForURL(server.url + '/');
    expect(await (await listData).headerValue('etag')).toMatch(/^W\/"/);
    await page.getByRole('heading', { level: 1, name: '公表された通報' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('with JavaScript turned off', () => {
  it('shows each form as the browser parses it, and one posts to its receipt', async () => {
    const noJs = await launchBrowser({ javaScriptEnabled: false, width: 360, height: 740 });
    try {
      const page = await noJs.newPage();
      await page.goto(server.url + REPORT);
      // The browser reads <noscript> as HTML: every form is there from the start; no print button.
      expect(await page.locator('details.opinion-form form').count()).toBe(14);
      expect(await page.getByRole('button', { name: 'このページを印刷' }).count()).toBe(0);
      const body = `JavaScriptを切った文書から送った意見です。${Date.now()}`;
      const form = await fillOpinion(page, 8, body);
      await Promise.all([page.waitForURL(/\/receipts\//), form.getByRole('button', { name: '意見を送信する' }).click()]);
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toMatch(TRACKING);
      expect(main).toContain(body);
    } finally {
      await noJs.close();
    }
  });
});
