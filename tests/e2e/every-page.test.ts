// Chromium visits every public page, then signs in as each role and follows the
// console's main links (inbox → opinion → reply, acknowledgement, every menu
// entry the role may use). Any uncaught page error, console error, failed
// request or "Error loading route module" fails the test: a page that renders
// on the server but breaks in the browser (a *.server value used by a
// component) cannot ship.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../db/schema';
import { canAccess, STAFF_NAV } from '~/domain/access';
import { getT } from '~/i18n/i18n.server';
import { openDatabase } from '~/server/db.server';
import { launchBrowser } from '../helpers/browser';
import { BUNDLED_SLUG } from '../helpers/db';
import { postForm, receiptToken, waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

const ROLES: Role[] = ['staff', 'moderator', 'admin'];
/** The menu's words in Japanese, the language these pages are visited in. */
const navLabel = (entry: (typeof STAFF_NAV)[number]) => getT('ja', 'staff')(entry.labelKey);
const ERROR_HEADINGS = /エラーが発生しました|ページが見つかりません|権限がありません/;

let server: TestServer;
let context: BrowserContext;
const users = new Map<Role, TestUser>();
/** The opinion with a published reply (section 1), and a receipt from the public form. */
let answered: { id: number; trackingNumber: string };
let receipt: string;

/** Everything that went wrong in the browser, with the page it happened on. */
type Watch = { problems: string[]; expect404: Set<string> };

function watch(page: Page): Watch {
  const w: Watch = { problems: [], expect404: new Set() };
  const where = () => new URL(page.url()).pathname + new URL(page.url()).search;
  page.on('pageerror', (error) => w.problems.push(`${where()}: uncaught ${error.name}: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const source = msg.location().url;
    // Chromium reports the 404 document itself as a failed resource: expected on the 404 page.
    if (/Failed to load resource: .* 404/.test(msg.text()) && w.expect404.has(source)) return;
    w.problems.push(`${where()}: console error: ${msg.text()}${source ? ` (${source})` : ''}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !w.expect404.has(res.url())) w.problems.push(`${where()}: ${res.status()} for ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    // A download the test does not take, or a request cut off by the next navigation, is not a fault.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    w.problems.push(`${where()}: request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  return w;
}

/**
 * Waits until Remix has hydrated the page and is idle, then for the network to
 * settle, so a route module that fails to load or run has shown itself.
 */
async function settle(page: Page, w: Watch) {
  const before = w.problems.length;
  try {
    await waitFor(
      async () =>
        w.problems.length > before ||
        (await page.evaluate(() => {
          const router = (window as unknown as { __remixRouter?: { state: { initialized: boolean; navigation: { state: string } } } }).__remixRouter;
          return Boolean(router?.state.initialized && router.state.navigation.state === 'idle');
        })),
      { timeout: 10_000, interval: 100, message: 'hydration' },
    );
  } catch {
    w.problems.push(`${new URL(page.url()).pathname}: the page never hydrated`);
  }
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
}

/** Goes to `path` by address, checks the status and that a real page (not an error page) is shown. */
async function visit(page: Page, w: Watch, path: string, status = 200) {
  if (status === 404) w.expect404.add(server.url + path);
  const res = await page.goto(server.url + path);
  expect(res?.status(), path).toBe(status);
  await settle(page, w);
  await expectPage(page, w, status === 404);
}

/** The page's h1 is shown and is not an error heading (unless an error page is what we came for). */
async function expectPage(page: Page, w: Watch, errorPage = false) {
  const h1 = page.getByRole('heading', { level: 1 }).first();
  await h1.waitFor({ state: 'visible', timeout: 10_000 });
  const text = (await h1.textContent()) ?? '';
  if (ERROR_HEADINGS.test(text) !== errorPage) w.problems.push(`${new URL(page.url()).pathname}: heading 「${text}」`);
}

/** Clicks a link (a client-side navigation when the page is hydrated) and waits for its page. */
async function follow(page: Page, w: Watch, link: ReturnType<Page['getByRole']>, url: RegExp) {
  await link.click();
  await page.waitForURL(url, { timeout: 10_000 });
  await settle(page, w);
  await expectPage(page, w);
}

async function latestOpinions(): Promise<Array<{ id: number; trackingNumber: string; sectionNumber: number }>> {
  const { db } = openDatabase(server.databasePath);
  try {
    const rows = await db.selectFrom('opinions').select(['id', 'tracking_number', 'section_number']).orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, trackingNumber: r.tracking_number, sectionNumber: r.section_number }));
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '1000' });
  for (const role of ROLES) users.set(role, await createTestUser(server.databasePath, role, { displayName: `巡回 ${role}` }));

  // Opinions through the public form's action, as a browser without JavaScript sends them.
  const bodies = [
    { section: '1', item: '1', body: '駐車場の整備を急いでください。夜間の照明も不足しています。' },
    { section: '3', item: '', body: '公園の遊具が古くなっています。点検をお願いします。' },
    { section: '5', item: '2', body: '窓口の受付時間を延ばしてほしいです。' },
  ];
  const tokens: string[] = [];
  for (const fields of bodies) {
    const res = await postForm(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, { ...fields, name: '巡回 太郎', publicOk: 'on', consent: 'on' });
    expect(res.status, await res.clone().text()).toBe(303);
    tokens.push(receiptToken(res)!);
  }
  receipt = tokens[1];
  const first = (await latestOpinions()).find((o) => o.sectionNumber === 1)!;
  answered = { id: first.id, trackingNumber: first.trackingNumber };

  // A reply template and a published reply, so those pages have something to show.
  const admin = users.get('admin')!;
  const cookie = await signIn(server.url, admin.email, admin.password);
  const template = await postForm(
    `${server.url}/staff/templates`,
    { intent: 'create', title: '巡回用の定型文', body: 'ご意見ありがとうございます。担当部署で検討します。' },
    { cookie },
  );
  expect(template.status, await template.clone().text()).toBe(200);
  const reply = await postForm(
    `${server.url}/staff/opinions/${answered.id}/reply`,
    { intent: 'publish', body: '駐車場の整備は来年度に予定しています。照明も併せて点検します。' },
    { cookie },
  );
  expect(reply.status, await reply.clone().text()).toBe(302);

  context = await launchBrowser();
});
afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('every page in the browser', () => {
  it('public pages, following the site links', async () => {
    const page = await context.newPage();
    const w = watch(page);
    try {
      await visit(page, w, '/');
      await follow(page, w, page.getByRole('link', { name: /第15期省委員会第1回巡視整備/ }), new RegExp(`/reports/${BUNDLED_SLUG}$`));
      await visit(page, w, `/reports/${BUNDLED_SLUG}/sections/1/replies`);
      expect(await page.locator('article.reply-entry').count(), 'the published reply').toBeGreaterThan(0);

      const siteNav = page.getByRole('navigation', { name: 'サイト' });
      await follow(page, w, siteNav.getByRole('link', { name: '受付番号で確認' }), /\/track$/);
      await page.getByLabel('受付番号').fill(answered.trackingNumber);
      await follow(page, w, page.getByRole('button', { name: '確認する' }), /\/track\?number=/);
      await page.locator('.track-result').waitFor();
      await follow(page, w, siteNav.getByRole('link', { name: '個人情報の取扱い' }), /\/privacy$/);
      await follow(page, w, siteNav.getByRole('link', { name: '通報一覧' }), /\/$/);

      await visit(page, w, `/receipts/${receipt}`);
      await visit(page, w, '/no-such-page', 404);
      await visit(page, w, '/staff/login');
    } finally {
      await page.close();
    }
    expect(w.problems).toEqual([]);
  });

  it.each(ROLES)('the staff console as %s, following its links', async (role) => {
    const user = users.get(role)!;
    const page = await context.newPage();
    const w = watch(page);
    const step = async (name: string, run: () => Promise<void>) => {
      try {
        await run();
      } catch (error) {
        w.problems.push(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    };
    try {
      await visit(page, w, '/staff/login');
      await page.getByLabel('メールアドレス').fill(user.email);
      await page.getByLabel('パスワード').fill(user.password);
      await follow(page, w, page.getByRole('button', { name: 'サインイン' }), /\/staff$/);

      const nav = page.getByRole('navigation', { name: '職員メニュー' });
      await step('the menu shows what the role may use', async () => {
        for (const entry of STAFF_NAV) {
          const link = nav.getByRole('link', { name: navLabel(entry), exact: true });
          if (canAccess(role, entry.access)) await link.waitFor({ timeout: 5_000 });
          else expect(await link.count(), `${navLabel(entry)} for ${role}`).toBe(0);
        }
      });
      await step('the inbox offers the CSV export', async () => {
        const href = await page.getByRole('link', { name: 'この条件でCSVをダウンロード' }).getAttribute('href');
        expect(href).toMatch(/^\/staff\/export\.csv/);
      });

      const opinionUrl = new RegExp(`/staff/opinions/${answered.id}$`);
      await step('inbox → opinion', () => follow(page, w, page.getByRole('link', { name: answered.trackingNumber }), opinionUrl));
      const replyLink = page.getByRole('link', { name: '公式回答を作成・編集する' });
      if (canAccess(role, 'replies')) {
        await step('opinion → reply', () => follow(page, w, replyLink, new RegExp(`/staff/opinions/${answered.id}/reply$`)));
        await step('the reply page', async () => {
          // The address and the router turn idle before React has put the new page in place: wait for its heading.
          await page.getByRole('heading', { level: 1, name: /回答の作成/ }).first().waitFor({ timeout: 10_000 });
        });
        await step('the reply page by address', () => visit(page, w, `/staff/opinions/${answered.id}/reply`));
      } else {
        await step('no reply link for this role', async () => expect(await replyLink.count()).toBe(0));
      }
      await step('opinion → acknowledgement', async () => {
        await visit(page, w, `/staff/opinions/${answered.id}`);
        await follow(page, w, page.getByRole('link', { name: '受付票(郵送用)を表示・印刷する' }), new RegExp(`/staff/opinions/${answered.id}/ack$`));
      });

      await step('back to the inbox', () => visit(page, w, '/staff'));
      for (const entry of STAFF_NAV.filter((e) => canAccess(role, e.access))) {
        const target = new RegExp(`${entry.to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
        await step(`menu → ${navLabel(entry)}`, () => follow(page, w, nav.getByRole('link', { name: navLabel(entry), exact: true }), target));
      }

      await step('sign out', async () => {
        await page.getByRole('button', { name: 'サインアウト' }).click();
        await page.waitForURL(/\/staff\/login\?signedOut=1$/);
        await settle(page, w);
      });
    } finally {
      await page.close();
    }
    expect(w.problems).toEqual([]);
  });
});
