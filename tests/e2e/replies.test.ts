// Chromium against the production server: hostile opinions and replies render
// as inert text everywhere, and a moderator publishes a reply through the UI.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { BUNDLED_SLUG } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { postForm } from '../helpers/http';
import { createTestUser, signIn } from '../helpers/staff';

const LONG_WORD = 'ながいことば'.repeat(100) + 'x'.repeat(1400); // 2,000 characters, no spaces

/** Each hostile opinion is answered by a hostile reply. */
const CORPUS: Array<{ opinion: string; reply: string }> = [
  { opinion: '<script>window.__xss=1;alert(1)</script> スクリプトの意見です', reply: '回答:<script>window.__xss=2;alert(2)</script>' },
  { opinion: '<img src=x onerror="window.__xss=3;alert(3)"> 画像の意見です', reply: '<img src=x onerror=alert(4)>画像の回答' },
  {
    opinion: '[リンク](javascript:alert(5)) <a href="javascript:window.__xss=5">ここを押す</a> javascript:alert(5)',
    reply: '<a href="javascript:alert(6)">回答のリンク</a> [md](javascript:window.__xss=6)',
  },
  { opinion: '<svg onload="window.__xss=7;alert(7)"><circle r=5 /></svg> SVGの意見です', reply: '<svg/onload=alert(8)> SVGの回答 <iframe src="javascript:alert(8)"></iframe>' },
  { opinion: `長い単語の意見:${LONG_WORD}`, reply: `長い単語の回答:${LONG_WORD}` },
  { opinion: '"><script>alert(9)</script>\' onmouseover=alert(9) x="**太字** # 見出し', reply: '</p><script>alert(10)</script><p>' },
];

let server: TestServer;
let context: BrowserContext;
let cookie: string;
let dialogs: string[] = [];

function post(path: string, fields: Record<string, string>) {
  return postForm(server.url + path, fields, { cookie });
}

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
}

async function latestOpinionId(): Promise<number> {
  const { db } = openDatabase(server.databasePath);
  try {
    return (await db.selectFrom('opinions').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  } finally {
    await db.destroy();
  }
}

/** Sends the body as raw bytes, as a broken client would. */
async function sendOpinionBytes(body: Buffer): Promise<number> {
  const res = await postForm(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, new Uint8Array(body));
  expect(res.status).toBe(303);
  return latestOpinionId();
}

function sendOpinion(text: string): Promise<number> {
  const form = new URLSearchParams({ section: '3', item: '2', body: text, publicOk: 'on', consent: 'on' });
  return sendOpinionBytes(Buffer.from(form.toString()));
}

/** Publishes with the opinion shown, using the editor's own pre-redacted copy. */
async function publishWithOpinion(opinionId: number, reply: string) {
  const page = await (await fetch(`${server.url}/staff/opinions/${opinionId}/reply`, { headers: { Cookie: cookie } })).text();
  const copy = unescapeHtml(/<textarea[^>]*id="redactedOpinion"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)![1]);
  const res = await post(`/staff/opinions/${opinionId}/reply`, { intent: 'publish', body: reply, showOpinion: 'on', redactedOpinion: copy });
  expect(res.status, await res.clone().text()).toBe(302);
}

/** Waits for the first match to be visible (Playwright's own expect is not available here). */
async function shown(locator: Locator): Promise<boolean> {
  await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
  return locator.first().isVisible();
}

async function openPage(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(`${path}: ${d.message()}`);
    void d.dismiss();
  });
  const res = await page.goto(server.url + path);
  expect(res?.status(), path).toBe(200);
  await page.waitForLoadState('networkidle');
  return page;
}

async function expectInert(page: Page, where: string) {
  expect(dialogs, where).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), where).toBeUndefined();
  const injected = await page.evaluate(
    () =>
      document.querySelectorAll(
        '.reply-entry img, .reply-entry svg, .reply-entry script, .reply-entry iframe, .reply-entry a, [onerror], [onload], [onmouseover], a[href^="javascript:"], iframe',
      ).length,
  );
  expect(injected, where).toBe(0);
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '1000' });
  const moderator = await createTestUser(server.databasePath, 'moderator');
  cookie = await signIn(server.url, moderator.email, moderator.password);
  context = await launchBrowser();
  const [name, value] = cookie.split(/=(.*)/s);
  await context.addCookies([{ name, value, url: server.url }]);
});
afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('hostile texts', () => {
  let hostileIds: number[] = [];

  // Stored and published through the server, broken UTF-8 included; each step asserts its answer.
  beforeAll(async () => {
    hostileIds = [];
    for (const entry of CORPUS) {
      const id = await sendOpinion(entry.opinion);
      await publishWithOpinion(id, entry.reply);
      hostileIds.push(id);
    }
    // Invalid UTF-8 (a lone continuation byte, an overlong form, a truncated sequence) in the raw body.
    const broken = Buffer.concat([
      Buffer.from('section=3&item=2&publicOk=on&consent=on&body='),
      Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0xaf, 0xe3, 0x81]),
      Buffer.from(encodeURIComponent('壊れたバイト列を含む意見です<script>window.__xss=11</script>')),
      Buffer.from([0xed, 0xa0, 0x80]),
    ]);
    const brokenId = await sendOpinionBytes(broken);
    await publishWithOpinion(brokenId, '壊れたバイト列への回答です');
    hostileIds.push(brokenId);
    expect(hostileIds).toHaveLength(CORPUS.length + 1);
  }, 120_000);

  it('render as text on the public replies page, with no dialog, no script and no overflow', async () => {
    dialogs = [];
    const page = await openPage(`/reports/${BUNDLED_SLUG}/sections/3/replies`);
    await expectInert(page, 'replies page');
    expect(await shown(page.getByText('<script>window.__xss=1;alert(1)</script> スクリプトの意見です'))).toBe(true);
    expect(await shown(page.getByText('回答:<script>window.__xss=2;alert(2)</script>'))).toBe(true);
    expect(await shown(page.getByText('<img src=x onerror="window.__xss=3;alert(3)"> 画像の意見です'))).toBe(true);
    expect(await shown(page.getByText(/壊れたバイト列を含む意見です<script>/))).toBe(true);
    expect(await page.locator('.reply-entry').count()).toBe(CORPUS.length + 1);
    // The 2,000-character word wraps instead of widening the page.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'replies-hostile');
    await page.close();
  });

  it('leave the report page with targets a finger can hit (WCAG 2.2 target size), every section open', async () => {
    const page = await openPage(`/reports/${BUNDLED_SLUG}`);
    // Section 3 has more replies than the page shows: its "all replies" link is there.
    expect(await page.locator('.section-replies__more a').count()).toBeGreaterThan(0);
    await page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) details.open = true;
      // Every section laid out: one skipped by content-visibility has no real geometry to measure.
      for (const section of document.querySelectorAll<HTMLElement>('.report > .section')) section.style.contentVisibility = 'visible';
    });
    expect(await axeViolations(page, { rules: ['target-size'] })).toEqual([]);
    await page.close();
  });

  it('stay inert on the staff editor and on /track', async () => {
    dialogs = [];
    const editor = await openPage(`/staff/opinions/${hostileIds[0]}/reply`);
    expect(dialogs).toEqual([]);
    expect(await editor.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await editor.getByRole('textbox', { name: /区からの回答/ }).inputValue()).toBe('回答:<script>window.__xss=2;alert(2)</script>');
    await editor.close();

    const { db } = openDatabase(server.databasePath);
    const tracking = (await db.selectFrom('opinions').select('tracking_number').where('id', '=', hostileIds[1]).executeTakeFirstOrThrow()).tracking_number;
    await db.destroy();
    const track = await openPage(`/track?number=${tracking}`);
    expect(dialogs).toEqual([]);
    expect(await track.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await shown(track.getByText('<img src=x onerror=alert(4)>画像の回答'))).toBe(true);
    await track.close();
  });
});

describe('a moderator publishing through the UI', () => {
  it('previews, publishes, and the public page shows the reply; axe finds nothing on either page', async () => {
    const form = new URLSearchParams({
      section: '3',
      item: '4',
      body: 'バス停に屋根を付けてください。雨の日に困っています。連絡先は 138-0013-8000 です。',
      name: '林 美咲',
      phone: '13800138000',
      publicOk: 'on',
      consent: 'on',
    });
    const opinionId = await sendOpinionBytes(Buffer.from(form.toString()));

    dialogs = [];
    const page = await openPage(`/staff/opinions/${opinionId}/reply`);
    expect(await shown(page.getByRole('heading', { level: 1, name: '回答の作成' }))).toBe(true);
    expect(await page.getByRole('textbox', { name: /公開用の写し/ }).inputValue()).toBe('バス停に屋根を付けてください。雨の日に困っています。連絡先は ●●● です。');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('checkbox', { name: /意見\(個人情報を伏せた写し\)を公開する/ }).check();
    await page.getByRole('textbox', { name: /区からの回答/ }).fill('ご意見ありがとうございます。\n来年度、屋根の設置を検討します。');
    await page.getByRole('button', { name: 'プレビュー' }).click();
    const preview = page.getByRole('region', { name: 'プレビュー(公開ページでの表示)' });
    expect(await shown(preview.getByText('来年度、屋根の設置を検討します。', { exact: false }))).toBe(true);
    expect(await shown(preview.getByText('連絡先は ●●● です。', { exact: false }))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: '公開する', exact: true }).click();
    expect(await shown(page.getByRole('status').filter({ hasText: '回答を公開しました。' }))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reply-editor-published');

    await page.getByRole('link', { name: '公開ページで確認する' }).click();
    await page.waitForURL(/\/sections\/3\/replies/);
    const entry = page.locator('article.reply-entry', { hasText: '来年度、屋根の設置を検討します。' });
    expect(await shown(entry)).toBe(true);
    expect(await entry.textContent()).toContain('連絡先は ●●● です。');
    expect(await entry.textContent()).not.toContain('林');
    expect(await entry.textContent()).not.toContain('138');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'replies-public');
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
