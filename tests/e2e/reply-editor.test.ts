// Chromium against the production server, with JavaScript (issue 18): a
// moderator reaches the reply editor by clicking from the opinion page and it
// hydrates; the buttons say they are busy while a post is under way and focus
// goes where the answer is; withdrawing a reply takes the opinion off 回答済;
// an admin's template form empties after a save and refuses a title in use.
import type { BrowserContext, ConsoleMessage, Locator, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { BUNDLED_SLUG } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

let server: TestServer;
let db: DB;
let moderatorContext: BrowserContext;
let adminContext: BrowserContext;
let opinion: { id: number; trackingNumber: string };

async function contextFor(role: 'moderator' | 'admin', options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const user = await createTestUser(server.databasePath, role);
  const cookie = await signIn(server.url, user.email, user.password);
  const context = await launchBrowser(options);
  const [name, value] = cookie.split(/=(.*)/s);
  await context.addCookies([{ name, value, url: server.url }]);
  return context;
}

/** A page that records every script error and console error it meets. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m: ConsoleMessage) => {
    // A refused form is answered 400 on purpose; Chromium logs that response as an error.
    if (/^Failed to load resource: .* status of 400/.test(m.text())) return;
    if (m.type() === 'error' || /Error loading route module/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { page, errors };
}

async function shown(locator: Locator): Promise<boolean> {
  await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
  return locator.first().isVisible();
}

/** React has hydrated the element: it carries React's fiber, which server HTML never does. */
async function hydrated(locator: Locator): Promise<boolean> {
  await locator.page().waitForFunction(
    (el) => el !== null && Object.keys(el).some((k) => k.startsWith('__reactFiber')),
    await locator.elementHandle(),
    { timeout: 10_000 },
  );
  return locator.evaluate((el) => Object.keys(el).some((k) => k.startsWith('__reactFiber')));
}

/** Holds the next POST until `release()` is called, so the busy state can be seen. */
async function holdNextPost(page: Page): Promise<{ held: Promise<void>; release: () => Promise<void> }> {
  let resolveHeld!: () => void;
  let route: Route | undefined;
  const held = new Promise<void>((r) => (resolveHeld = r));
  await page.route('**/*', async (r) => {
    if (r.request().method() !== 'POST' || route) return r.fallback();
    route = r;
    resolveHeld();
  });
  return {
    held,
    release: async () => {
      await route!.continue();
      await page.unroute('**/*');
    },
  };
}

const activeElement = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? { tag: el.tagName.toLowerCase(), role: el.getAttribute('role'), text: el.textContent ?? '', label: el.getAttribute('aria-labelledby') } : null;
  });

async function opinionStatus(): Promise<string> {
  return (await db.selectFrom('opinions').select('status').where('id', '=', opinion.id).executeTakeFirstOrThrow()).status;
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '1000' });
  db = openDatabase(server.databasePath).db;
  const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
    body: new URLSearchParams({ section: '3', item: '1', body: '歩道の段差が危ないので、早めに直してください。', publicOk: 'on', consent: 'on' }),
  });
  expect(res.status).toBe(303);
  const row = await db.selectFrom('opinions').select(['id', 'tracking_number']).orderBy('id', 'desc').executeTakeFirstOrThrow();
  opinion = { id: row.id, trackingNumber: row.tracking_number };
  [moderatorContext, adminContext] = await Promise.all([contextFor('moderator'), contextFor('admin')]);
});
afterAll(async () => {
  await moderatorContext?.close();
  await adminContext?.close();
  await db?.destroy();
  await server?.stop();
});

describe('the reply editor with JavaScript', () => {
  let page: Page;
  let errors: string[];

  it('opens by clicking 公式回答を作成・編集する, without a reload or any script error, and hydrates', async () => {
    ({ page, errors } = await watchedPage(moderatorContext));
    await page.goto(`${server.url}/staff/opinions/${opinion.id}`);
    await hydrated(page.getByRole('heading', { level: 1 }));
    // A marker that a full page load would wipe.
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    await page.getByRole('link', { name: '公式回答を作成・編集する' }).click();
    await page.waitForURL(`**/staff/opinions/${opinion.id}/reply`);
    expect(await shown(page.getByRole('heading', { level: 1, name: '回答の作成' }))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await hydrated(page.getByRole('button', { name: 'プレビュー' }))).toBe(true);
    expect(errors).toEqual([]);
    // The target reads naturally: 第三項「…」 ／ (一)「…」.
    expect(await page.locator('.reply-editor__facts').textContent()).toMatch(/第三項「.+」 ／ \(一\)「[^」。]+」/);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('says it is busy while the preview is posted, then moves focus to the preview', async () => {
    await page.getByRole('textbox', { name: /区からの回答/ }).fill('ご意見ありがとうございます。\n来月、段差を解消します。');
    const hold = await holdNextPost(page);
    await page.getByRole('button', { name: 'プレビュー' }).click();
    await hold.held;
    expect(await shown(page.getByText('送信しています…'))).toBe(true);
    for (const name of ['プレビュー', '下書きを保存', '公開する']) {
      expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
    }
    expect(await page.locator('form.reply-editor__form').getAttribute('aria-busy')).toBe('true');
    await hold.release();

    const preview = page.getByRole('region', { name: 'プレビュー(公開ページでの表示)' });
    expect(await shown(preview.getByText('来月、段差を解消します。', { exact: false }))).toBe(true);
    await page.waitForFunction(() => document.activeElement?.classList.contains('reply-preview'));
    expect(await activeElement(page)).toMatchObject({ tag: 'section', label: 'preview-title' });
    // Enabled again once the page has revalidated after the action (slower on PostgreSQL).
    await expect.poll(() => page.getByRole('button', { name: 'プレビュー' }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('publishes, focuses the result, and marks the published version in the history', async () => {
    await page.getByRole('button', { name: '公開する', exact: true }).click();
    const status = page.getByRole('status').filter({ hasText: '回答を公開しました。' });
    expect(await shown(status)).toBe(true);
    await page.waitForFunction(() => document.activeElement?.textContent?.includes('回答を公開しました。'));
    expect(await activeElement(page)).toMatchObject({ role: 'status' });
    expect(await opinionStatus()).toBe('answered');

    await page.getByText(/公開した版の履歴\(1件\)/).click();
    const current = page.locator('.reply-editor__history li[aria-current="true"]');
    expect(await shown(current.getByText('公開中の版'))).toBe(true);
    expect(await current.textContent()).toContain('来月、段差を解消します。');
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('withdraws the reply: the opinion leaves 回答済, /track agrees, and the history marks no version as public', async () => {
    await page.getByRole('textbox', { name: /取り下げの理由/ }).fill('担当部署の確認が必要なため');
    await page.getByRole('button', { name: '公開を取り下げる' }).click();
    const status = page.getByRole('status').filter({ hasText: '回答の公開を取り下げました。' });
    expect(await shown(status)).toBe(true);
    expect(await status.textContent()).toContain('意見の状態は「受付」です。');
    expect(await opinionStatus()).toBe('new');
    expect(await page.locator('.reply-editor__facts').textContent()).not.toContain('回答済');
    expect(await shown(page.getByText(/公開した版の履歴\(1件・いまは公開されていません\)/))).toBe(true);
    expect(await page.locator('.reply-editor__history li[aria-current="true"]').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reply-editor-withdrawn');

    const track = await page.context().newPage();
    await track.goto(`${server.url}/track?number=${opinion.trackingNumber}`);
    expect(await shown(track.getByText('回答はまだ公開されていません。'))).toBe(true);
    expect(await track.locator('.status-label').textContent()).toBe('受付');
    expect(await track.locator('main').textContent()).not.toContain('回答済');
    await track.close();
    await page.close();
  });
});

describe('the public replies page', () => {
  it('names the section and item naturally, and axe finds nothing', async () => {
    const { page, errors } = await watchedPage(moderatorContext);
    // Publish again so that the page has an entry.
    await page.goto(`${server.url}/staff/opinions/${opinion.id}/reply`);
    await hydrated(page.getByRole('button', { name: '公開する', exact: true }));
    await page.getByRole('button', { name: '公開する', exact: true }).click();
    expect(await shown(page.getByRole('status').filter({ hasText: '回答を公開しました。' }))).toBe(true);

    await page.goto(`${server.url}/reports/${BUNDLED_SLUG}/sections/3/replies`);
    const h1 = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
    // The title is quoted once (its own inner 「」 kept) and へ follows the closing 」.
    expect(h1).toMatch(/^第三項「.+」への意見と回答$/);
    expect(h1).not.toMatch(/についてへの|。への|。」/);
    const card = (await page.locator('.reply-entry__title').first().textContent()) ?? '';
    expect(card).toMatch(/^第三項 ／ \(一\)「[^」。]+」への意見$/);
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

/**
 * axe needs JavaScript, which the no-JS context turns off: the page's HTML
 * (scripts removed, so nothing hydrates) is checked in a JS context at the
 * same origin, stylesheets and all.
 */
async function axeOfNoJsPage(html: string) {
  const page = await moderatorContext.newPage();
  const url = `${server.url}/__axe-no-js`;
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html.replace(/<script\b[\s\S]*?<\/script>/g, '') }));
  await page.goto(url);
  const violations = await axeViolations(page);
  await page.close();
  return violations;
}

describe('the publishing check without JavaScript (issue 11)', () => {
  it('lists each match beside a tick box, refuses until every one is ticked, then publishes', async () => {
    const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ section: '6', body: '私は鈴木です。公園の照明が暗くて危ないです。', publicOk: 'on', consent: 'on' }),
    });
    expect(res.status).toBe(303);
    const row = await db.selectFrom('opinions').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const context = await contextFor('moderator', { javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      // A step that cannot happen fails by name, well inside the test's time.
      page.setDefaultTimeout(10_000);
      await page.goto(`${server.url}/staff/opinions/${row.id}/reply`);
      const checks = page.getByRole('group', { name: '公開前の確認(個人情報の可能性がある箇所)' });
      // The self-introduction in the copy is listed as soon as the page opens.
      expect(await shown(checks.getByRole('checkbox', { name: '確認済み:「鈴木」は個人情報ではありません' }))).toBe(true);
      expect(await axeOfNoJsPage(await page.content())).toEqual([]);

      await page.getByRole('checkbox', { name: /意見\(個人情報を伏せた写し\)を公開する/ }).check();
      await page.getByRole('textbox', { name: /区からの回答/ }).fill('近隣の方(0573-8272-2291)にも伺い、照明を増やします。');
      await page.getByRole('button', { name: '公開する', exact: true }).click();
      const refusal = page.getByRole('alert').filter({ hasText: '個人情報の可能性がある箇所' });
      expect(await shown(refusal)).toBe(true);
      expect(await refusal.textContent()).toContain('公開する意見に、個人情報の可能性がある箇所が1件あります。回答に、個人情報の可能性がある箇所が1件あります。');
      const phone = checks.getByRole('checkbox', { name: '確認済み:「0573-8272-2291」は個人情報ではありません' });
      expect(await shown(phone)).toBe(true);
      expect(await axeOfNoJsPage(await page.content())).toEqual([]);
      await screenshot(page, 'reply-editor-personal-data');

      // One tick is not enough, and the tick survives the refusal.
      await phone.check();
      await page.getByRole('button', { name: '公開する', exact: true }).click();
      expect(await shown(page.getByRole('alert').filter({ hasText: '回答に、個人情報の可能性がある箇所' }).or(page.getByRole('alert').filter({ hasText: '公開する意見に、個人情報の可能性がある箇所が1件' })))).toBe(true);
      expect(await checks.getByRole('checkbox', { name: '確認済み:「0573-8272-2291」は個人情報ではありません' }).isChecked()).toBe(true);
      expect(await db.selectFrom('official_replies').select('id').where('opinion_id', '=', row.id).execute()).toHaveLength(0);

      await checks.getByRole('checkbox', { name: '確認済み:「鈴木」は個人情報ではありません' }).check();
      await page.getByRole('button', { name: '公開する', exact: true }).click();
      expect(await shown(page.getByRole('status').filter({ hasText: '回答を公開しました。' }))).toBe(true);
      const audit = await db.selectFrom('audit_log').select('after_json').where('entity_id', '=', String(row.id)).where('action', '=', 'reply.publish').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.after_json!).notPersonalData).toEqual([
        { field: 'redactedOpinion', kind: 'self_introduction', text: '鈴木' },
        { field: 'body', kind: 'phone', text: '0573-8272-2291' },
      ]);
      expect(await axeOfNoJsPage(await page.content())).toEqual([]);
      await page.close();
    } finally {
      await context.close();
    }
  });
});

describe('reply templates with JavaScript', () => {
  async function templateRows(title: string) {
    return db.selectFrom('reply_templates').select('id').where('title', '=', title).execute();
  }

  it('empties the add form after a save, and refuses the same title again beside the field', async () => {
    const { page, errors } = await watchedPage(adminContext);
    await page.goto(`${server.url}/staff/templates`);
    const form = page.getByRole('form', { name: 'テンプレートを追加' });
    await hydrated(form.getByRole('button', { name: 'テンプレートを追加する' }));
    expect(await axeViolations(page)).toEqual([]);

    const title = form.getByRole('textbox', { name: '件名' });
    const body = form.getByRole('textbox', { name: '本文' });
    await title.fill('段差の補修について');
    await body.fill('担当部署で現地を確認しました。');
    const hold = await holdNextPost(page);
    await form.getByRole('button', { name: 'テンプレートを追加する' }).click();
    await hold.held;
    // The post is held, so the button stays disabled until it is released; React
    // may commit that state just after the request left (a CI run under load
    // read it a moment too early): wait for it.
    await expect.poll(() => form.getByRole('button', { name: 'テンプレートを追加する' }).isDisabled(), { timeout: 10_000 }).toBe(true);
    await hold.release();

    const saved = page.getByRole('status').filter({ hasText: 'テンプレート「段差の補修について」を追加しました。' });
    expect(await shown(saved)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('を追加しました。');
    expect(await title.inputValue()).toBe('');
    expect(await body.inputValue()).toBe('');
    // The list revalidates after the save: wait for it rather than read it at once.
    await expect.poll(() => page.getByRole('heading', { level: 3, name: '段差の補修について' }).count(), { timeout: 15_000 }).toBe(1);

    // The same title again (typed with extra spaces) is refused, and what was typed stays.
    await title.fill(' 段差の補修について ');
    await body.fill('別の本文です。');
    await form.getByRole('button', { name: 'テンプレートを追加する' }).click();
    const refused = page.getByRole('alert').filter({ hasText: '件名「段差の補修について」のテンプレートはすでにあります。' });
    expect(await shown(refused)).toBe(true);
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await body.inputValue()).toBe('別の本文です。');
    expect(await templateRows('段差の補修について')).toHaveLength(1);
    // The list revalidates after the save: wait for it rather than read it at once.
    await expect.poll(() => page.getByRole('heading', { level: 3, name: '段差の補修について' }).count(), { timeout: 15_000 }).toBe(1);
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'templates-duplicate');
    await page.close();
  });
});
