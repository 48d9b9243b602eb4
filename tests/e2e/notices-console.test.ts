// Chromium: an admin publishes a notice from the console — a malformed paste
// first (errors with line numbers), then the real text (preview, publish, the
// public page) — revises it (diff, publish), sets its period; axe on each page.
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { BUNDLED_NOTICE_PATH } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

const ORIGINAL = fs.readFileSync(BUNDLED_NOTICE_PATH, 'utf8');
const TEXT = ORIGINAL.replace('第15期省委員会第1回巡視整備の進展状況', '公園整備計画の進展状況');
const TITLE = '公園整備計画の進展状況に関する中国共産党嘉興市秀洲区委員会の通報';

let server: TestServer;
let context: BrowserContext;
let page: Page;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '管理 一郎' });
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

describe('publishing a notice from the console', () => {
  it('lists the notices with their state', async () => {
    await page.getByRole('link', { name: '通報の管理' }).click();
    await page.getByRole('heading', { level: 1, name: '通報の管理' }).waitFor();
    await page.getByRole('cell', { name: '受付中(期間なし)' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows each problem of a malformed paste with its line number', async () => {
    await page.getByRole('link', { name: '新しい通報を公開する' }).click();
    await page.getByRole('heading', { level: 1, name: '新しい通報' }).waitFor();
    const lines = TEXT.split('\n');
    const three = lines.findIndex((l) => l.startsWith('三、'));
    lines[three] = lines[three].replace(/^三、/, '五、');
    await page.getByLabel('通報の本文(貼り付け)').fill(lines.join('\n'));
    await page.getByLabel(/^スラッグ/).fill('parks-2026');
    await page.getByRole('button', { name: 'プレビュー' }).click();
    const errors = page.getByRole('alert').filter({ hasText: '本文を読み取れませんでした' });
    await errors.waitFor();
    expect(await errors.getByRole('listitem').allTextContents()).toEqual([`${three + 1}行目: 第3項の番号が飛んでいます(二の次が五)`]);
    expect(await page.getByRole('button', { name: '公開する' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'notices-parse-errors');
  });

  it('previews the corrected text, then publishes it', async () => {
    await page.getByLabel('通報の本文(貼り付け)').fill(TEXT);
    await page.getByLabel('募集終了').fill('2099-12-31T17:00');
    await page.getByRole('button', { name: 'プレビュー' }).click();
    await page.getByRole('heading', { level: 2, name: `プレビュー: ${TITLE}` }).waitFor();
    expect(await page.getByText('13項・52措置').count()).toBe(1);
    expect(await page.getByRole('heading', { level: 3, name: '意見・提案の窓口' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'notices-preview');

    await page.getByRole('button', { name: '公開する' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByRole('status').filter({ hasText: '通報を公開しました。' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${server.url}/reports/parks-2026`);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(await page.getByText('意見募集期間: 2099年12月31日 17:00 まで').count()).toBe(1);
    expect(await page.getByText('この項目について意見を送る').count()).toBeGreaterThan(10);
  });

  it('revises it with a diff per item, and the public page shows 改訂履歴', async () => {
    await page.goto(`${server.url}/staff/notices`);
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('link', { name: '本文を改訂する' }).click();
    await page.getByRole('heading', { level: 1, name: '通報の改訂' }).waitFor();
    await page.getByLabel('通報の本文(貼り付け)').fill(TEXT.replace('(一)政策支持を強化する。', '(一)政策支援を一層強化する。'));
    await page.getByRole('button', { name: '差分を確認' }).click();
    await page.getByRole('heading', { level: 2, name: '改訂1との差分' }).waitFor();
    expect(await page.getByRole('heading', { level: 4, name: '第一項(一) [変更]' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'notices-diff');
    await page.getByRole('button', { name: '改訂2として公開する' }).click();
    await page.getByRole('status').filter({ hasText: '新しい改訂を公開しました' }).waitFor();

    await page.goto(`${server.url}/reports/parks-2026`);
    const history = page.getByRole('region', { name: '改訂履歴' });
    await history.waitFor();
    expect(await history.getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/改訂2: 第一項\(一\)を変更$/)]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('extends the period with a reason', async () => {
    await page.goto(`${server.url}/staff/notices`);
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('link', { name: '意見募集期間を変更する' }).click();
    await page.getByRole('heading', { level: 1, name: '意見募集期間' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('新しい募集終了').fill('2100-01-31T17:00');
    await page.getByRole('button', { name: '延長する' }).click();
    await page.getByRole('alert').filter({ hasText: '理由を入力してください' }).first().waitFor();
    await page.getByLabel('延長の理由(公開されます)').fill('説明会の日程を変更したため');
    await page.getByRole('button', { name: '延長する' }).click();
    await page.getByRole('status').filter({ hasText: '意見募集期間を延長しました' }).waitFor();
    await page.goto(`${server.url}/reports/parks-2026`);
    expect(await page.getByText(/に延長されました\(当初: 2099年12月31日 17:00 まで\)。理由: 説明会の日程を変更したため/).count()).toBe(1);
  });
});
