// Chromium: the triage half of the staff console in Simplified Chinese and in
// English (issue 14). A signed-in administrator with the `lng` cookie the
// language switch sets opens each page: <html lang> is the language, the page's
// heading is the catalog's, axe finds no violation, and on an English page no
// kana or kanji is left outside what people wrote (opinions, names, notes) and
// the notice's own Japanese text.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getT } from '~/i18n/i18n.server';
import { openDatabase, type DB } from '~/server/db.server';
import { quoteTitle } from '~/utils/format';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

let server: TestServer;
let db: DB;
let context: BrowserContext;
let page: Page;
let opinionId: number;
/** Text people wrote and the notice's own text: allowed to be Japanese on any page. */
let userText: string[] = [];

const TRACKING = 'XZ-2026-LANG-0001';

beforeAll(async () => {
  server = await startTestServer();
  const admin = await createTestUser(server.databasePath, 'admin', { displayName: '言語 花子' });
  db = openDatabase(server.databasePath).db;
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const now = new Date().toISOString();
  opinionId = (
    await db
      .insertInto('opinions')
      .values({
        tracking_number: TRACKING,
        receipt_token: 'e2e-i18n-staff-receipt-token-abcdefgh',
        report_id: reportId,
        section_number: 2,
        item_number: null,
        body: '公園の街灯を増やしてください。夜は暗くて危ないです。',
        name: '山田 太郎',
        channel: 'phone',
        received_at: now,
        due_at: new Date(Date.now() + 20 * 86_400_000).toISOString(),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await db
    .insertInto('opinion_notes')
    .values({ opinion_id: opinionId, author_id: admin.id, body: '担当課に確認中。', created_at: now })
    .execute();
  const titles = await db.selectFrom('report_revisions').select(['title', 'issuer', 'mailbox', 'phone', 'source_office']).execute();
  const sections = await db.selectFrom('sections').select('title').execute();
  const items = await db.selectFrom('items').select('heading').execute();
  const people = await db.selectFrom('users').select('display_name').execute();
  const units = await db.selectFrom('units').select('name').execute();
  const opinions = await db.selectFrom('opinions').select(['body', 'name']).execute();
  const notes = await db.selectFrom('opinion_notes').select('body').execute();
  userText = [
    ...opinions.flatMap((o) => [o.body, o.name ?? '']),
    ...notes.map((n) => n.body),
    // The notice's title and its issuer's name and address (the acknowledgement's sender).
    ...titles.flatMap((r) => [r.title, r.issuer, r.mailbox, r.phone, r.source_office]),
    ...sections.map((s) => s.title),
    ...items.map((i) => i.heading),
    ...people.map((p) => p.display_name),
    ...units.map((u) => u.name),
  ];
  // Longest first, so that a title is removed before a shorter one inside it; also as a target quotes it
  // (no closing 。, inner 「」 as 『』).
  userText = [...new Set(userText.flatMap((s) => [s, s.trim().replace(/[。．.]+$/u, ''), quoteTitle(s).slice(1, -1)]))]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);

  const cookie = await signIn(server.url, admin.email, admin.password);
  const [name, value] = cookie.split(/=(.*)/s);
  context = await launchBrowser();
  await context.addCookies([{ name, value, url: server.url }]);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await db?.destroy();
  await server?.stop();
});

/** The page's text without what people wrote, the notice's text and other languages' names (the switch). */
async function portalText(p: Page): Promise<string> {
  let text = await p.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    // Charts repeat the tables beside them, with labels cut short (aria-hidden).
    body.querySelectorAll('[lang], .user-text, .inbox-table__body, svg, script, style, template').forEach((el) => el.remove());
    // Option texts are not in innerText; the labels people choose from are read like the rest.
    const options = [...document.querySelectorAll('option')].map((o) => o.textContent ?? '');
    document.body.append(body);
    body.style.position = 'absolute';
    const shown = body.innerText;
    body.remove();
    const labels = [...document.querySelectorAll('[aria-label], [title]')].map((el) => `${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''}`);
    return [shown, ...options, ...labels].join('\n');
  });
  for (const s of userText) text = text.split(s).join(' ');
  return text;
}

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

function leftovers(text: string, script: RegExp): string[] {
  return text
    .split('\n')
    .filter((line) => script.test(line))
    .map((line) => line.trim().slice(0, 120));
}

const PAGES: { path: () => string; heading: string; role?: 'heading' }[] = [
  { path: () => '/staff', heading: 'inbox.title' },
  { path: () => '/staff/opinions/new', heading: 'recordForm.title' },
  { path: () => '/staff/dashboard', heading: 'dashboard.title' },
  { path: () => '/staff/audit', heading: 'auditLog.title' },
  { path: () => `/staff/opinions/${opinionId}`, heading: 'opinion.heading' },
  { path: () => `/staff/opinions/${opinionId}/ack`, heading: 'ack.heading' },
  { path: () => `/staff/opinions/${opinionId}/reply`, heading: 'replyPage.title' },
];

for (const lng of ['zh-Hans', 'en'] as const) {
  describe(`the staff console in ${lng}`, () => {
    const t = getT(lng, 'staff');
    for (const entry of PAGES) {
      it(`${entry.heading.split('.')[0]}: heading, lang, axe${lng === 'en' ? ', no Japanese left' : ', no kana left'}`, async () => {
        await context.addCookies([{ name: 'lng', value: lng, url: server.url }]);
        const res = await page.goto(`${server.url}${entry.path()}`);
        expect(res?.status()).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lng);
        const h1 = page.getByRole('heading', { level: 1 }).first();
        await h1.waitFor();
        expect(await h1.textContent()).toContain(t(entry.heading));
        // The staff menu speaks the language too.
        await page.getByRole('navigation', { name: t('layout.navLabel') }).getByRole('link', { name: t('nav.inbox'), exact: true }).waitFor();
        const violations = await axeViolations(page);
        if (violations.length > 0) await screenshot(page, `i18n-staff-${lng}-${entry.heading}`);
        expect(violations).toEqual([]);
        const text = await portalText(page);
        // Chinese shares Han characters with Japanese; kana are Japanese only.
        expect(leftovers(text, lng === 'en' ? JAPANESE : KANA)).toEqual([]);
      });
    }
  });
}
