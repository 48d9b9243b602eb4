// Chromium: the account and admin half of the staff console in Simplified
// Chinese and English (cookie lng): sign-in, the second sign-in step, the
// account pages, users, units, templates, notices, API tokens, received mail
// and a person's data requests each show their heading in the page's
// language, with no axe violation.
import { authenticator } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser } from '../helpers/browser';
import { createTestDb } from '../helpers/db';
import { dropPostgresDatabase, onPostgres } from '../helpers/postgres';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

type Lng = 'zh-Hans' | 'en';

/** What each page's first heading says, per language. */
const WORDS = {
  'zh-Hans': {
    signIn: { heading: '工作人员登录', email: '电子邮箱地址', password: '密码', submit: '登录' },
    secondFactor: { heading: '输入验证码', code: '验证码' },
    account: '账号',
    password: '更改密码',
    twoFactor: '两步验证',
    sessions: '会话',
    users: '用户管理',
    userSessions: (name: string) => `${name}的会话`,
    units: '责任部门管理',
    templates: '答复模板',
    notices: '通报管理',
    noticeNew: '新通报',
    noticeTargets: '各项及各条措施的意见',
    noticePeriod: '意见征集期限',
    noticeRevise: '修订通报',
    apiTokens: 'API令牌',
    inbound: '收到的邮件',
    privacy: '本人申请（个人信息的查询、导出和删除）',
    privacySearch: { label: '电子邮箱地址或电话号码', submit: '查找', results: '查找结果：电子邮箱地址“nobody@example.jp”的意见共0条', tooShort: /电话号码请至少输入6位数字/ },
  },
  en: {
    signIn: { heading: 'Staff sign-in', email: 'Email address', password: 'Password', submit: 'Sign in' },
    secondFactor: { heading: 'Enter your code', code: 'Code' },
    account: 'Account',
    password: 'Change password',
    twoFactor: 'Two-step verification',
    sessions: 'Sessions',
    users: 'Users',
    userSessions: (name: string) => `Sessions of ${name}`,
    units: 'Responsible units',
    templates: 'Reply templates',
    notices: 'Notices',
    noticeNew: 'New notice',
    noticeTargets: 'Opinions by section and measure',
    noticePeriod: 'Comment period',
    noticeRevise: 'Revise notice',
    apiTokens: 'API tokens',
    inbound: 'Received mail',
    privacy: 'Requests from individuals (see, export or erase personal data)',
    privacySearch: { label: 'Email address or phone number', submit: 'Search', results: 'Results: 0 opinions with the email address “nobody@example.jp”', tooShort: /Enter at least 6 digits of the phone number/ },
  },
} as const;

let server: TestServer;
let seededFile: string | undefined;
let context: BrowserContext;
let admin: TestUser;
let enrolled: TestUser;
let enrolledSecret = '';
let noticeId = 0;

async function pageIn(lng: Lng): Promise<Page> {
  await context.clearCookies();
  await context.addCookies([{ name: 'lng', value: lng, url: server.url }]);
  return context.newPage();
}

async function signIn(page: Page, lng: Lng, user: TestUser) {
  const w = WORDS[lng].signIn;
  await page.goto(`${server.url}/staff/login`);
  await page.getByRole('heading', { level: 1, name: w.heading }).waitFor();
  await page.getByLabel(w.email).fill(user.email);
  await page.getByLabel(w.password, { exact: true }).fill(user.password);
  await page.getByRole('button', { name: w.submit, exact: true }).click();
}

/** Opens a page and checks its language, its heading and axe. */
async function expectPage(page: Page, lng: Lng, path: string, heading: string, level: 1 | 2 = 1) {
  await page.goto(server.url + path);
  await page.getByRole('heading', { level, name: heading, exact: true }).waitFor();
  expect(await page.locator('html').getAttribute('lang'), path).toBe(lng);
  expect(await axeViolations(page), `${lng} ${path}`).toEqual([]);
}

beforeAll(async () => {
  const seeded = await createTestDb();
  noticeId = (await seeded.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  // Closed without dropping it (on PostgreSQL close() drops the database): the server uses it.
  await seeded.db.destroy();
  seededFile = seeded.file;
  server = await startTestServer({ DATABASE_PATH: seeded.file });
  admin = await createTestUser(server.databasePath, 'admin', { displayName: 'Admin Ichiro' });
  enrolled = await createTestUser(server.databasePath, 'staff', { displayName: 'Two Factor' });
  context = await launchBrowser();

  // One account with a second factor, enrolled through the page (in English).
  const page = await pageIn('en');
  await signIn(page, 'en', enrolled);
  await page.waitForURL(/\/staff$/);
  await page.goto(`${server.url}/staff/account/2fa`);
  enrolledSecret = (await page.locator('#totp-secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('Code (6 digits)').fill(authenticator.generate(enrolledSecret));
  await page.getByRole('button', { name: 'Set up' }).click();
  await page.getByRole('heading', { level: 2, name: 'Recovery codes' }).waitFor();
  await page.close();
});

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (onPostgres && seededFile) await dropPostgresDatabase(seededFile);
});

describe.each(['zh-Hans', 'en'] as const)('the admin console in %s', (lng) => {
  const w = WORDS[lng];
  let page: Page;

  it('shows the sign-in page and signs in', async () => {
    page = await pageIn(lng);
    await page.goto(`${server.url}/staff/login`);
    await page.getByRole('heading', { level: 1, name: w.signIn.heading }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe(lng);
    expect(await axeViolations(page)).toEqual([]);
    // A wrong password is refused in the page's language.
    await page.getByLabel(w.signIn.email).fill(admin.email);
    await page.getByLabel(w.signIn.password, { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: w.signIn.submit, exact: true }).click();
    await page.getByRole('alert').getByText(lng === 'en' ? 'The email address or password is incorrect.' : '电子邮箱地址或密码不正确。').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page, lng, admin);
    await page.waitForURL(/\/staff$/);
  });

  it('shows each account page', async () => {
    await expectPage(page, lng, '/staff/account', w.account);
    await expectPage(page, lng, '/staff/account/password', w.password);
    await expectPage(page, lng, '/staff/account/2fa', w.twoFactor);
    await expectPage(page, lng, '/staff/account/sessions', w.sessions);
  });

  it('shows each admin page', async () => {
    await expectPage(page, lng, '/staff/users', w.users);
    await expectPage(page, lng, `/staff/users/${admin.id}`, w.userSessions(admin.displayName));
    await expectPage(page, lng, '/staff/units', w.units);
    await expectPage(page, lng, '/staff/templates', w.templates);
    await expectPage(page, lng, '/staff/api-tokens', w.apiTokens);
    await expectPage(page, lng, '/staff/inbound', w.inbound);
  });

  it('searches for a person\'s data, with a refusal and an empty result in the page language', async () => {
    await expectPage(page, lng, '/staff/privacy', w.privacy);
    await page.getByLabel(w.privacySearch.label).fill('123');
    await page.getByRole('button', { name: w.privacySearch.submit, exact: true }).click();
    await page.getByText(w.privacySearch.tooShort).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(w.privacySearch.label).fill('nobody@example.jp');
    await page.getByRole('button', { name: w.privacySearch.submit, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: w.privacySearch.results }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the notices console', async () => {
    await expectPage(page, lng, '/staff/notices', w.notices);
    await expectPage(page, lng, '/staff/notices/new', w.noticeNew);
    await expectPage(page, lng, `/staff/notices/${noticeId}`, w.noticeTargets, 2);
    await expectPage(page, lng, `/staff/notices/${noticeId}/period`, w.noticePeriod);
    await expectPage(page, lng, `/staff/notices/${noticeId}/revise`, w.noticeRevise);
    await page.close();
  });

  it('asks for the second factor in the page language', async () => {
    const second = await pageIn(lng);
    await signIn(second, lng, enrolled);
    await second.waitForURL(/\/staff\/login\/2fa/);
    await second.getByRole('heading', { level: 1, name: w.secondFactor.heading }).waitFor();
    expect(await second.locator('html').getAttribute('lang')).toBe(lng);
    expect(await axeViolations(second)).toEqual([]);
    await second.getByLabel(w.secondFactor.code, { exact: true }).fill('000000' === authenticator.generate(enrolledSecret) ? '111111' : '000000');
    await second.getByRole('button', { name: lng === 'en' ? 'Confirm' : '确认' }).click();
    await second.getByRole('alert').getByText(lng === 'en' ? /The code is incorrect/ : /验证码不正确/).waitFor();
    expect(await axeViolations(second)).toEqual([]);
    await second.close();
  });
});
