// Refusals worded by the models (app/models, app/domain, app/utils) reach a
// staff page in that page's language: the model gives a catalog key
// (namespace models) and the route words it. Japanese pages read exactly as
// before. Over HTTP against the production server, with the lng cookie.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { BUNDLED_NOTICE_PATH } from '../helpers/db';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

const ORIGINAL = fs.readFileSync(BUNDLED_NOTICE_PATH, 'utf8');
const LANGS = ['ja', 'zh-Hans', 'en'] as const;
type Lng = (typeof LANGS)[number];

let server: TestServer;
let db: DB;
let admin: TestUser;
let session = '';

/** The page's text as a reader sees it (React's comment markers and entities undone). */
const page = async (res: Response) =>
  (await res.text())
    .replace(/<!-- -->/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
const post = (path: string, fields: Record<string, string>, lng: Lng) => postForm(server.url + path, fields, { cookie: `${session}; lng=${lng}` });
const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

beforeAll(async () => {
  server = await startTestServer();
  db = openDatabase(server.databasePath).db;
  admin = await createTestUser(server.databasePath, 'admin', { displayName: 'Admin' });
  session = await signIn(server.url, admin.email, admin.password);
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('a unit name that is taken', () => {
  const expected: Record<Lng, string> = {
    ja: '「広報課」という部署は既にあります。',
    'zh-Hans': '名为“広報課”的部门已存在。',
    en: 'A unit named "広報課" already exists.',
  };

  it('is created once', async () => {
    const res = await post('/staff/units', { intent: 'create', name: '広報課', email: '' }, 'ja');
    expect(res.status).toBe(200);
    expect(await db.selectFrom('units').select('id').where('name', '=', '広報課').executeTakeFirst()).toBeDefined();
  });

  for (const lng of LANGS) {
    it(`is refused in ${lng}`, async () => {
      const res = await post('/staff/units', { intent: 'create', name: '広報課', email: '' }, lng);
      expect(res.status).toBe(409);
      const html = await page(res);
      expect(htmlLang(html)).toBe(lng);
      expect(html).toContain(expected[lng]);
      if (lng !== 'ja') expect(html).not.toContain('という部署は既にあります');
    });
  }
});

describe('a weak new password on /staff/account/password', () => {
  const weak = 'aaaaaaaaaaaaaaaa';
  const expected: Record<Lng, string> = {
    ja: '同じ文字の繰り返しが多すぎます。別のパスワードにしてください。',
    'zh-Hans': '重复的字符过多。请换一个密码。',
    en: 'Too many repeated characters. Choose a different password.',
  };
  for (const lng of LANGS) {
    it(`is explained in ${lng}`, async () => {
      const res = await post('/staff/account/password', { currentPassword: admin.password, newPassword: weak, confirmPassword: weak }, lng);
      expect(res.status).toBe(400);
      const html = await page(res);
      expect(htmlLang(html)).toBe(lng);
      expect(html).toContain(expected[lng]);
    });
  }

  it('names a wrong current password in English', async () => {
    const res = await post('/staff/account/password', { currentPassword: 'not my password at all', newPassword: 'lantern orchard velvet 42', confirmPassword: 'lantern orchard velvet 42' }, 'en');
    expect(res.status).toBe(400);
    expect(await page(res)).toContain('The current password is incorrect.');
  });
});

describe('a notice paste with a parse problem', () => {
  const lines = ORIGINAL.split('\n');
  const sectionThree = lines.findIndex((l) => l.startsWith('三、'));
  lines[sectionThree] = lines[sectionThree].replace(/^三、/, '四、');
  const broken = lines.join('\n');
  const line = sectionThree + 1;
  const expected: Record<Lng, string> = {
    ja: '第3項の番号が飛んでいます(二の次が四)',
    'zh-Hans': '第3项的编号有跳跃（二之后是四）',
    en: 'Section 3: the numbering skips (四 follows 二).',
  };

  for (const lng of LANGS) {
    it(`is listed with its line in ${lng}, and nothing is stored`, async () => {
      const before = await db.selectFrom('reports').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const res = await post('/staff/notices/new', { intent: 'preview', slug: 'broken', text: broken }, lng);
      expect(res.status).toBe(400);
      const html = await page(res);
      expect(htmlLang(html)).toBe(lng);
      expect(html).toContain(expected[lng]);
      expect(html).toContain(String(line));
      if (lng !== 'ja') expect(html).not.toContain('番号が飛んでいます');
      const after = await db.selectFrom('reports').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });
  }

  it('refuses a file that is not .txt in zh-Hans', async () => {
    const form = new FormData();
    form.set('intent', 'preview');
    form.set('slug', 'broken');
    form.set('file', new Blob([ORIGINAL], { type: 'text/csv' }), 'notice.csv');
    const res = await fetch(`${server.url}/staff/notices/new`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: `${session}; lng=zh-Hans`, Origin: server.url },
      body: form,
    });
    expect(res.status).toBe(400);
    expect(await page(res)).toContain('请选择文本文件（扩展名 .txt）。');
  });
});
