// Chromium: the received-mail page (/staff/inbound) read and filtered by a
// member of staff, an admin ending one of another person's sessions from
// /staff/users, and the 期間外 mark in the inbox — each page without
// accessibility violations.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMailEvent } from '~/models/mail-events.server';
import { saveInboundMessage } from '~/models/inbound-messages.server';
import { createOpinion } from '~/models/opinions.server';
import { openDatabase } from '~/server/db.server';
import { axeViolations, launchBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

let server: TestServer;
let admin: TestUser;
let person: TestUser;
let context: BrowserContext;
let page: Page;
let outsideTrackingNumber: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '管理 花子' });
  person = await createTestUser(server.databasePath, 'staff', { displayName: '窓口 一郎' });
  const { db } = openDatabase(server.databasePath);
  try {
    await saveInboundMessage(db, {
      messageId: '<question@example.net>',
      from: '山田 花子 <hanako@example.net>',
      to: 'no-reply@ikenbako.example.org',
      subject: 'Re: ご意見を受け付けました',
      text: '追加の写真はどこに送ればよいでしょうか。',
      sentAt: null,
    });
    await recordMailEvent(db, {
      outboxMessageId: null,
      kind: 'auto_reply',
      bounceType: null,
      recipient: 'away@example.net',
      statusCode: null,
      diagnostic: '自動応答: 不在にしております',
      sourceMessageId: '<away@example.net>',
    });
    // The notice has closed; a phone opinion recorded now is 期間外.
    await db.updateTable('reports').set({ closes_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', 1).execute();
    const outside = await createOpinion(db, {
      reportId: 1,
      sectionNumber: 1,
      itemNumber: null,
      body: '締め切り後に電話で受けた意見です。',
      name: null,
      email: null,
      phone: null,
      replyWanted: false,
      publicOk: false,
      consent: true,
      channel: 'phone',
      receivedAt: new Date(),
      clientHash: null,
      userAgent: null,
      formToken: null,
      recordedById: null,
    });
    outsideTrackingNumber = outside.trackingNumber;
  } finally {
    await db.destroy();
  }
  // A second browser of the person's, for the admin to end.
  await signIn(server.url, person.email, person.password, { 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0' });

  context = await launchBrowser();
  page = await context.newPage();
  await page.goto(`${server.url}/staff/login`);
  await page.getByLabel('メールアドレス').fill(admin.email);
  await page.getByLabel('パスワード').fill(admin.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.getByRole('heading', { level: 1, name: '受付一覧' }).waitFor();
});
afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('received mail, sessions and 期間外 in Chromium', () => {
  it('marks the 期間外 opinion in the inbox', async () => {
    const row = page.getByRole('row').filter({ hasText: outsideTrackingNumber });
    await row.getByText('期間外', { exact: false }).first().waitFor();
    expect(await row.locator('.period-marker').textContent()).toBe('期間外(意見募集期間の外で受け付けた意見)');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('reads and filters /staff/inbound from the navigation', async () => {
    await page.getByRole('navigation', { name: '職員メニュー' }).getByRole('link', { name: '受信メール' }).click();
    await page.getByRole('heading', { level: 1, name: '受信メール' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('2件中 1〜2件目を表示');
    await page.getByText('本文', { exact: true }).click();
    await page.getByText('追加の写真はどこに送ればよいでしょうか。').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('種類').selectOption({ label: '自動応答' });
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/kind=auto_reply/);
    await page.getByRole('status').filter({ hasText: '1件中 1〜1件目を表示' }).waitFor();
    expect(await page.getByRole('cell', { name: 'away@example.net' }).count()).toBe(1);
    expect(await page.getByText('hanako@example.net').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("lets an admin end one of another person's sessions from /staff/users", async () => {
    await page.goto(`${server.url}/staff/users`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: `${person.displayName}さんのセッション(1件)` }).click();
    await page.getByRole('heading', { level: 1, name: `${person.displayName}さんのセッション` }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'セッション1(Firefox / Windows)を終了' }).click();
    await page.getByRole('status').filter({ hasText: 'セッションを1件終了しました。' }).waitFor();
    await page.getByText('サインイン中の端末はありません。').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
