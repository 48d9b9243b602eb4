// Chromium, issue 13's whole journey: the first admin signs in with the
// generated password and is made to change it, enrols a second factor with a
// code computed here from the shown secret, signs out, signs in with a code;
// the same code is refused again; a recovery code works once. Axe on each page.
import fs from 'node:fs';
import { authenticator } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { initialAdminPasswordFile } from '../helpers/staff';

let server: TestServer;
let context: BrowserContext;
let page: Page;
const NEW_PASSWORD = 'harbour lantern quietly 58';

async function signInThroughForm(email: string, password: string) {
  await page.goto(`${server.url}/staff/login`);
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'サインイン' }).click();
}

async function signOut() {
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await page.waitForURL(/\/staff\/login\?signedOut=1$/);
}

beforeAll(async () => {
  server = await startTestServer({ REQUIRE_2FA: 'admin' });
  context = await launchBrowser();
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await server?.stop();
});

describe('a staff account from first sign-in to two-factor', () => {
  let secret = '';
  let usedCode = '';
  let recoveryCode = '';

  it('forces the first admin to change the generated password', async () => {
    const [email, password] = fs.readFileSync(initialAdminPasswordFile(server), 'utf8').trim().split('\n');
    await signInThroughForm(email, password);
    await page.waitForURL(/\/staff\/account\/password$/);
    await page.getByRole('heading', { level: 1, name: 'パスワードの変更' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('現在のパスワード').fill(password);
    await page.getByLabel('新しいパスワード', { exact: true }).fill('password1234');
    await page.getByLabel('新しいパスワード(確認)').fill('password1234');
    await page.getByRole('button', { name: 'パスワードを変更' }).click();
    await page.getByText('よく使われているパスワード').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('現在のパスワード').fill(password);
    await page.getByLabel('新しいパスワード', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('新しいパスワード(確認)').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'パスワードを変更' }).click();
    // REQUIRE_2FA=admin: the next stop is enrolment, whatever is asked for.
    await page.waitForURL(/\/staff\/account\/2fa$/);
    await page.goto(`${server.url}/staff`);
    await page.waitForURL(/\/staff\/account\/2fa$/);
  });

  it('enrols with a code computed from the shown secret and shows ten recovery codes', async () => {
    await page.getByRole('img', { name: '認証アプリに読み取らせるQRコード' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    secret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
    usedCode = authenticator.generate(secret);
    await page.getByLabel('確認コード(6桁)').fill(usedCode);
    await page.getByRole('button', { name: '設定する' }).click();
    const codes = page.getByRole('list', { name: '回復コード' }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    recoveryCode = (await codes.first().textContent())!.trim();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.url}/staff/account/sessions`);
    await page.getByText('(この端末)').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.url}/staff/account`);
    await page.getByRole('heading', { level: 1, name: 'アカウント' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await signOut();
  });

  it('signs in with a code, refuses the same code again, and takes a recovery code once', async () => {
    await signInThroughForm('admin@localhost', NEW_PASSWORD);
    await page.waitForURL(/\/staff\/login\/2fa/);
    expect(await axeViolations(page)).toEqual([]);
    // The enrolment used this step's code: the next step's is within the allowed skew.
    const code = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);
    await page.getByLabel('確認コード').fill(code);
    await page.getByRole('button', { name: '確認する' }).click();
    await page.waitForURL(/\/staff$/);
    await signOut();

    await signInThroughForm('admin@localhost', NEW_PASSWORD);
    await page.waitForURL(/\/staff\/login\/2fa/);
    await page.getByLabel('確認コード').fill(code);
    await page.getByRole('button', { name: '確認する' }).click();
    await page.getByRole('alert').filter({ hasText: '既に使われています' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('確認コード').fill(recoveryCode);
    await page.getByRole('button', { name: '確認する' }).click();
    await page.waitForURL(/\/staff$/);
    await signOut();

    await signInThroughForm('admin@localhost', NEW_PASSWORD);
    await page.waitForURL(/\/staff\/login\/2fa/);
    await page.getByLabel('確認コード').fill(recoveryCode);
    await page.getByRole('button', { name: '確認する' }).click();
    await page.getByRole('alert').filter({ hasText: '正しくないか' }).waitFor();
    expect(page.url()).toContain('/staff/login/2fa');
  });
});
