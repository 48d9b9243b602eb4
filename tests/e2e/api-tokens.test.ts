// Chromium: an administrator creates an API token for the hotline, copies it
// from the one screen that shows it, sees it used, and revokes it after a
// confirmation — with and without JavaScript, and without accessibility
// violations. Staff without the admin role cannot open the page.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

let server: TestServer;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '管理 太郎' });
});
afterAll(async () => {
  await server?.stop();
});

async function signInAs(page: Page, user: TestUser) {
  await page.goto(`${server.url}/staff/api-tokens`);
  await page.waitForURL(/\/staff\/login/);
  await page.getByLabel('メールアドレス').fill(user.email);
  await page.getByLabel('パスワード').fill(user.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.getByRole('heading', { level: 1, name: 'APIトークン' }).waitFor();
}

const callApi = (token: string) =>
  fetch(`${server.url}/api/v1/opinions/XZ-2026-0000-0000`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);

for (const javaScriptEnabled of [true, false]) {
  describe(`the API token page ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, () => {
    let context: BrowserContext;
    let page: Page;
    let token = '';
    const name = javaScriptEnabled ? '12345ホットライン' : '郵便受付システム';

    beforeAll(async () => {
      context = await launchBrowser({ javaScriptEnabled });
      page = await context.newPage();
      await signInAs(page, admin);
    });
    afterAll(async () => {
      await context?.close();
    });

    it('keeps what was typed and names the problem when the form is wrong', async () => {
      await page.getByLabel('連携先の名前').fill(name);
      await page.getByLabel('1分あたりの呼び出し上限').fill('9999');
      await page.getByRole('button', { name: 'トークンを作成する' }).click();
      const rate = page.getByLabel('1分あたりの呼び出し上限');
      await page.locator('#token-rateLimitPerMinute-error').waitFor();
      expect(await rate.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#token-rateLimitPerMinute-error').textContent()).toBe('1分あたりの上限は1〜600の整数で入力してください。');
      expect(await page.getByLabel('連携先の名前').inputValue()).toBe(name);
      if (javaScriptEnabled) expect(await axeViolations(page)).toEqual([]);
    });

    it('shows a new token once, and the token works against the API', async () => {
      await page.getByLabel('1分あたりの呼び出し上限').fill('30');
      await page.getByLabel('権限').selectOption('read');
      await page.getByRole('button', { name: 'トークンを作成する' }).click();
      const status = page.getByRole('status');
      await status.getByText(`「${name}」のトークンを作成しました。`).waitFor();
      token = (await status.locator('code').textContent()) ?? '';
      expect(token).toMatch(/^ikb_[A-Za-z0-9_-]{43}$/);
      expect(await status.textContent()).toContain('このトークンは今回だけ表示されます');
      if (javaScriptEnabled) {
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, 'staff-api-token-created');
      }
      // The form is ready for the next integration.
      expect(await page.getByLabel('連携先の名前').inputValue()).toBe('');
      expect(await callApi(token)).toBe(404);

      // Shown once: the page loaded again lists the token by its first characters only.
      await page.goto(`${server.url}/staff/api-tokens`);
      expect(await page.content()).not.toContain(token);
      const row = page.getByRole('row', { name: new RegExp(name) });
      expect(await row.getByRole('cell').allTextContents()).toEqual(
        expect.arrayContaining(['read(参照のみ)', `${token.slice(0, 12)}…`, '30回', '有効']),
      );
      // The call above is the token's last use.
      expect(await row.getByRole('cell').nth(4).textContent()).not.toBe('未使用');
    });

    it('revokes the token only after a confirmation, and the API refuses it at once', async () => {
      await page.getByRole('link', { name: `「${name}」のトークンを失効させる` }).click();
      const question = page.getByRole('heading', { name: `「${name}」のトークンを失効させますか?` });
      await question.waitFor();
      if (javaScriptEnabled) {
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, 'staff-api-token-confirm');
        // Backing out changes nothing.
        await page.getByRole('link', { name: 'やめる' }).click();
        await question.waitFor({ state: 'detached' });
        expect(await callApi(token)).toBe(404);
        await page.getByRole('link', { name: `「${name}」のトークンを失効させる` }).click();
        await question.waitFor();
      }
      await page.getByRole('button', { name: '失効させる' }).click();
      await page.getByRole('status').getByText(/を失効させました/).waitFor();
      // The list shows it revoked (after the loader's revalidation, with JavaScript).
      await page.getByRole('row', { name: new RegExp(name) }).getByRole('cell', { name: /^失効(.+)$/ }).waitFor();
      expect(await page.getByRole('link', { name: `「${name}」のトークンを失効させる` }).count()).toBe(0);
      expect(await callApi(token)).toBe(401);
    });
  });
}

describe('who may open the page', () => {
  it('refuses staff and moderators (403), on the page and on its form', async () => {
    for (const role of ['staff', 'moderator'] as const) {
      const user = await createTestUser(server.databasePath, role);
      const cookie = await signIn(server.url, user.email, user.password);
      const page = await fetch(`${server.url}/staff/api-tokens`, { headers: { Cookie: cookie }, redirect: 'manual' });
      expect(page.status).toBe(403);
      const post = await fetch(`${server.url}/staff/api-tokens`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ intent: 'create', name: '不正', scope: 'write', rateLimitPerMinute: '60' }),
        redirect: 'manual',
      });
      expect(post.status).toBe(403);
    }
    const anonymous = await fetch(`${server.url}/staff/api-tokens`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
  });
});
