// Chromium: a staff member signs in through the form, sees the console, signs out;
// an admin creates an account and the new person signs in with the shown password.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

let server: TestServer;
let context: BrowserContext;
let page: Page;
let staff: TestUser;
let admin: TestUser;

async function signInThroughForm(email: string, password: string) {
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'サインイン' }).click();
}

beforeAll(async () => {
  server = await startTestServer();
  staff = await createTestUser(server.databasePath, 'staff', { displayName: '受付 花子' });
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '管理 次郎' });
  context = await launchBrowser();
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('staff sign-in in a browser', () => {
  it('has no accessibility violations on the sign-in page, also with an error shown', async () => {
    await page.goto(`${server.url}/staff/login`);
    await page.getByRole('heading', { level: 1, name: '職員サインイン' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await signInThroughForm(staff.email, 'wrong-password-here');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('メールアドレスまたはパスワードが正しくありません。');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-login-error');
  });

  it('signs in, lands where it was going, shows the layout, and signs out', async () => {
    await page.goto(`${server.url}/staff/dashboard`);
    await page.waitForURL(/\/staff\/login\?redirectTo=%2Fstaff%2Fdashboard/);
    await signInThroughForm(staff.email, staff.password);
    await page.waitForURL(/\/staff\/dashboard$/);
    const nav = page.getByRole('navigation', { name: '職員メニュー' });
    await nav.getByRole('link', { name: '受付一覧' }).waitFor();
    await nav.getByRole('link', { name: '電話・郵便の記録' }).waitFor();
    expect(await nav.getByRole('link', { name: '利用者' }).count()).toBe(0);
    await page.getByText('受付 花子（職員）').waitFor();
    const cookies = await context.cookies(server.url);
    expect(cookies.find((c) => c.name === '__ikenbako_staff')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.waitForURL(/\/staff\/login\?signedOut=1$/);
    expect(await page.getByRole('status').textContent()).toContain('サインアウトしました');
    await page.goto(`${server.url}/staff`);
    await page.waitForURL(/\/staff\/login/);
  });

  it('lets an admin create an account whose one-time password signs in', async () => {
    await page.goto(`${server.url}/staff/login`);
    await signInThroughForm(admin.email, admin.password);
    await page.waitForURL(/\/staff$/);
    await page.getByRole('navigation', { name: '職員メニュー' }).getByRole('link', { name: '利用者' }).click();
    await page.waitForURL(/\/staff\/users$/);
    await page.getByLabel('メールアドレス').fill('new.person@example.jp');
    await page.getByLabel('表示名').fill('新人 三郎');
    await page.getByLabel('権限', { exact: true }).selectOption('moderator');
    await page.getByRole('button', { name: '利用者を追加する' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'アカウントを作成しました' });
    await notice.waitFor();
    const password = (await notice.locator('dd code').nth(1).textContent())!.trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    await page.getByRole('rowheader', { name: '新人 三郎' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-users');

    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.waitForURL(/\/staff\/login/);
    await signInThroughForm('new.person@example.jp', password);
    // A generated password is replaced by its owner before anything else.
    await page.waitForURL(/\/staff\/account\/password$/);
    await page.getByText('新人 三郎（モデレーター）').waitFor();
  });
});
