// The language switch in Chromium (a plain link that sets the `lng` cookie
// and stays on the page), the page hydrating in the chosen language with
// only its namespaces fetched, a fetcher form answering in that language,
// and axe on every public page in every language.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser } from '../helpers/browser';
import { BUNDLED_SLUG } from '../helpers/db';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: BrowserContext;
let receiptPath: string;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '100' });
  browser = await launchBrowser();
  const res = await postForm(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, { section: '1', body: 'An opinion for the receipt page.', consent: 'on' });
  receiptPath = res.headers.get('location')!;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function languageCookie(): Promise<string | undefined> {
  return (await browser.cookies(server.url)).find((c) => c.name === 'lng')?.value;
}

describe('the language switch', () => {
  it('switches with a link, remembers the choice in the lng cookie and stays on the page', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    const catalogs: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/locales/')) catalogs.push(new URL(r.url()).pathname);
    });
    await page.goto(`${server.url}/track`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    const switcher = page.getByRole('navigation', { name: '言語' });
    await switcher.getByRole('link', { name: '简体中文' }).click();
    await page.waitForURL(`${server.url}/track`);
    await page.getByRole('heading', { level: 1, name: '凭受理编号查询' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hans');
    expect(await languageCookie()).toBe('zh-Hans');

    // The choice holds on the next page, and the page hydrates with its own namespaces only.
    catalogs.length = 0;
    await page.getByRole('navigation', { name: '网站' }).getByRole('link', { name: '个人信息处理' }).click();
    await page.getByRole('heading', { level: 1, name: '个人信息处理' }).waitFor();
    // That page's own catalog requests may still be under way (a loaded machine): they are not the report page's.
    await page.waitForLoadState('networkidle');
    catalogs.length = 0;
    // The report page's document is not hydrated (decision 017): its print button is the page's own script's, and no catalog is fetched.
    await page.goto(`${server.url}/reports/${BUNDLED_SLUG}`);
    await page.getByRole('button', { name: '打印本页' }).waitFor();
    expect(catalogs).toEqual([]);
    await page.goto(`${server.url}/reports/${BUNDLED_SLUG}/results`);
    await page.getByRole('button', { name: '打印本页' }).waitFor();
    expect(catalogs.filter((c) => c.startsWith('/locales/zh-Hans/')).sort()).toEqual(
      expect.arrayContaining(['/locales/zh-Hans/common.json', '/locales/zh-Hans/reports.json']),
    );
    expect(catalogs.some((c) => c.includes('/staff.json') || c.includes('/mail.json') || c.startsWith('/locales/ja/'))).toBe(false);

    // The switch on the report document (plain links, no script needed).
    await page.goto(`${server.url}/reports/${BUNDLED_SLUG}`);
    await page.getByRole('navigation', { name: '语言' }).getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Send us your comments' }).waitFor();
    expect(await languageCookie()).toBe('en');
    await page.close();
  });

  it('answers a form sent in place (JavaScript) in the page language', async () => {
    await browser.clearCookies();
    await browser.addCookies([{ name: 'lng', value: 'en', url: server.url }]);
    const page = await browser.newPage();
    // In place needs the page rendered by React: a client-side navigation from the list (a document load of it is not hydrated).
    await page.goto(server.url + '/');
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);
    await page.getByRole('link', { name: /第15期省委員会第1回巡視整備/ }).click();
    await page.waitForURL(`${server.url}/reports/${BUNDLED_SLUG}`);
    await page.locator('input[name="_js"]').first().waitFor({ state: 'attached' });
    const closing = page.locator('#section-0');
    await closing.getByText('Comment on the notice as a whole').click();
    await closing.getByLabel('Your comment or suggestion').fill('short');
    await closing.getByRole('checkbox', { name: /personal data is handled/ }).check();
    await closing.getByRole('button', { name: 'Send comment' }).click();
    await closing.getByText('Please write at least 10 characters (you have 5).').waitFor();
    await closing.getByLabel('Your comment or suggestion').fill('A longer comment on the whole notice.');
    await closing.getByRole('button', { name: 'Send comment' }).click();
    await closing.getByRole('status').getByText(/Your reference number is XZ-/).waitFor();
    await page.close();
  });

  it('answers a plain post from the report document in the page language', async () => {
    await browser.clearCookies();
    await browser.addCookies([{ name: 'lng', value: 'en', url: server.url }]);
    const page = await browser.newPage();
    await page.goto(`${server.url}/reports/${BUNDLED_SLUG}#section-0`);
    const closing = page.locator('#section-0');
    await closing.getByText('Comment on the notice as a whole').click();
    await closing.getByLabel('Your comment or suggestion').fill('short');
    await closing.getByRole('checkbox', { name: /personal data is handled/ }).check();
    const [response] = await Promise.all([page.waitForNavigation(), closing.getByRole('button', { name: 'Send comment' }).click()]);
    expect(response?.status()).toBe(400);
    await page.getByText('Please write at least 10 characters (you have 5).').waitFor();
    expect(await page.getByLabel('Your comment or suggestion').inputValue()).toBe('short');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.close();
  });
});

describe('axe on every public page in every language', () => {
  const pages = () => [
    '/',
    `/reports/${BUNDLED_SLUG}`,
    `/reports/${BUNDLED_SLUG}/results`,
    `/reports/${BUNDLED_SLUG}/sections/1/replies`,
    '/track',
    '/track?number=XZ-2023-AAAA-BBBB',
    '/privacy',
    receiptPath,
    '/no-such-page',
  ];
  for (const lng of ['ja', 'zh-Hans', 'en']) {
    it(`${lng}: no WCAG 2.1 A/AA violations`, async () => {
      await browser.clearCookies();
      await browser.addCookies([{ name: 'lng', value: lng, url: server.url }]);
      const page: Page = await browser.newPage();
      for (const path of pages()) {
        await page.goto(server.url + path);
        expect(await page.locator('html').getAttribute('lang'), path).toBe(lng);
        expect(await axeViolations(page), `${lng} ${path}`).toEqual([]);
      }
      await page.close();
    });
  }
});
