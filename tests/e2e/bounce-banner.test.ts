// Chromium: after bounces piped to mail:inbound, staff see on the opinion that
// the citizen's mail did not arrive, every staff page carries a banner for the
// unit address that bounced, and the banner goes once an admin fixes the
// address on the units page.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

const ROOT = path.resolve(__dirname, '../..');
const TRACKING = 'XZ-2026-BNCE-0001';
let server: TestServer;
let context: BrowserContext;
let page: Page;
let admin: TestUser;
let opinionId: number;

function pipe(fixture: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/mail-inbound.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_PATH: server.databasePath },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.on('exit', resolve);
    child.stdin!.end(fs.readFileSync(path.join(ROOT, 'tests/fixtures/mail', fixture)));
  });
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '管理 花子' });
  const { db } = openDatabase(server.databasePath);
  try {
    const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
    const now = new Date().toISOString();
    await db.insertInto('units').values({ name: '企画課', email: 'kikaku@unit.example.gov', retired_at: null, created_at: now }).execute();
    opinionId = (
      await db
        .insertInto('opinions')
        .values({
          tracking_number: TRACKING,
          receipt_token: 'bounce-banner-receipt-token-abcdefgh',
          report_id: reportId,
          section_number: 2,
          body: '返信先のアドレスを間違えました。',
          email: 'citizen.typo@example.net',
          channel: 'web',
          received_at: now,
          due_at: '2099-12-31T15:59:59.999Z',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const sent = (opinion: number | null, kind: string, recipient: string, uuid: string) => ({
      opinion_id: opinion,
      kind,
      recipient,
      subject: kind,
      text_body: kind,
      html_body: kind,
      message_id: `<${uuid}@ikenbako.example.org>`,
      status: 'sent' as const,
      attempts: 1,
      next_attempt_at: now,
      created_at: now,
      sent_at: now,
    });
    await db
      .insertInto('outbox_messages')
      .values([
        sent(opinionId, 'citizen_ack', 'citizen.typo@example.net', '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e01'),
        sent(null, 'unit_notification', 'kikaku@unit.example.gov', '2c3d4e5f-6a7b-4c8d-9e0f-a1b2c3d4e503'),
      ])
      .execute();
  } finally {
    await db.destroy();
  }
  expect(await pipe('postfix-hard-bounce.eml')).toBe(0);
  expect(await pipe('exim-hard-bounce.eml')).toBe(0);
  context = await launchBrowser();
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('bounces in the staff console', () => {
  it('shows the unit address that bounced on every staff page', async () => {
    await page.goto(`${server.url}/staff`);
    await page.waitForURL(/\/staff\/login/);
    await page.getByLabel('メールアドレス').fill(admin.email);
    await page.getByLabel('パスワード').fill(admin.password);
    await page.getByRole('button', { name: 'サインイン' }).click();
    const banner = page.getByRole('region', { name: 'メールが届かないアドレスがあります' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('担当部署「企画課」のアドレス kikaku@unit.example.gov');
    expect(await banner.textContent()).toContain('5.0.0');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'bounce-banner');
    await page.goto(`${server.url}/staff/dashboard`);
    await banner.waitFor();
  });

  it('tells staff on the opinion that the citizen’s mail did not arrive', async () => {
    await page.goto(`${server.url}/staff/opinions/${opinionId}`);
    await page.getByRole('heading', { level: 1, name: `意見 ${TRACKING}` }).waitFor();
    const messages = page.getByRole('region', { name: '送ったメールの一覧' });
    await page.getByText('メールが届きませんでした').waitFor();
    expect(await page.locator('.alert', { hasText: 'メールが届きませんでした' }).textContent()).toContain('回答は電話または郵便でお願いします');
    expect(await messages.textContent()).toContain('届きませんでした(恒久的なエラー) 5.1.1');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'bounce-opinion');
  });

  it('drops the banner once an admin fixes the unit’s address', async () => {
    await page.getByRole('region', { name: 'メールが届かないアドレスがあります' }).getByRole('link', { name: '担当部署' }).click();
    await page.getByRole('heading', { level: 1, name: '担当部署の管理' }).waitFor();
    const unit = page.locator('.unit-list > li', { has: page.getByRole('heading', { name: '企画課' }) });
    await unit.getByText('「企画課」を編集').click();
    await unit.getByLabel('通知先メールアドレス（任意）').fill('kikaku-desk@unit.example.gov');
    await unit.getByRole('button', { name: '変更を保存する' }).click();
    await page.getByText('通知先: kikaku-desk@unit.example.gov').waitFor();
    await page.getByRole('region', { name: 'メールが届かないアドレスがあります' }).waitFor({ state: 'detached' });
    await page.goto(`${server.url}/staff`);
    await page.getByRole('heading', { level: 1, name: '受付一覧' }).waitFor();
    expect(await page.getByRole('region', { name: 'メールが届かないアドレスがあります' }).count()).toBe(0);
  });
});
