// The public side in three languages, against the production server: every
// page says which language it is in and links its other languages, a zh-Hans
// or English page has no kana outside the notice's own (lang="ja") text, the
// form works without JavaScript in each language, the citizen's mail follows
// the page, and a notice translation is imported, shown, or refused whole.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { BUNDLED_SLUG } from '../helpers/db';
import { postForm, waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/notice-translation');
const LANGUAGES = ['ja', 'zh-Hans', 'en'] as const;
const KANA = /[\u3040-\u30ff]/;

let server: TestServer;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startTestSmtp();
  server = await startTestServer({ SMTP_URL: smtp.url, RATE_LIMIT_OPINIONS: '100' });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

async function get(pathname: string, lng: string): Promise<{ status: number; html: string }> {
  const res = await fetch(server.url + pathname, { headers: { Cookie: `lng=${lng}` } });
  return { status: res.status, html: await res.text() };
}

function elements(nodes: ChildNode[], out: Element[] = []): Element[] {
  for (const n of nodes) {
    if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
      out.push(n as Element);
      elements((n as Element).children, out);
    }
  }
  return out;
}

/** The page's text a reader sees, without the notice's own (lang="ja") elements. */
function textOutsideJapanese(html: string): string {
  const parts: string[] = [];
  const walk = (nodes: ChildNode[]) => {
    for (const n of nodes) {
      if (n.type === 'text') parts.push(n.data);
      else if (n.type === 'tag') {
        const el = n as Element;
        if (el.attribs.lang?.startsWith('ja') && el.name !== 'html') continue;
        if (el.name === 'title' || el.name === 'template') continue;
        walk(el.children);
      }
    }
  };
  walk(parseDocument(html).children);
  return parts.join(' ');
}

function kanaIn(text: string): string[] {
  return [...text.matchAll(/.{0,20}[\u3040-\u30ff].{0,20}/g)].map((m) => m[0]);
}

const PAGES = [
  { path: '/', status: 200 },
  { path: `/reports/${BUNDLED_SLUG}`, status: 200 },
  { path: `/reports/${BUNDLED_SLUG}/results`, status: 200 },
  { path: `/reports/${BUNDLED_SLUG}/sections/3/replies`, status: 200 },
  { path: `/reports/${BUNDLED_SLUG}/opinions`, status: 200 },
  { path: '/track', status: 200 },
  { path: '/track?number=XZ-2023-AAAA-BBBB', status: 404 },
  { path: '/track?number=nonsense', status: 400 },
  { path: '/privacy', status: 200 },
  { path: '/no-such-page', status: 404 },
];

describe('every public page in every language', () => {
  for (const lng of LANGUAGES) {
    it(`${lng}: html lang, hreflang alternates, and no kana outside the notice on zh-Hans/en pages`, async () => {
      for (const page of PAGES) {
        const { status, html } = await get(page.path, lng);
        expect(status, page.path).toBe(page.status);
        const doc = parseDocument(html);
        const all = elements(doc.children);
        expect(all.find((e) => e.name === 'html')?.attribs.lang, page.path).toBe(lng);
        const alternates = all.filter((e) => e.name === 'link' && e.attribs.rel === 'alternate').map((e) => e.attribs.hreflang);
        expect(alternates.sort(), page.path).toEqual(['en', 'ja', 'x-default', 'zh-Hans']);
        if (lng !== 'ja') expect(kanaIn(textOutsideJapanese(html)), `${lng} ${page.path}`).toEqual([]);
      }
    });
  }

  it('answers Accept-Language when there is no cookie, and the cookie before ?lng=', async () => {
    const zh = await fetch(`${server.url}/privacy`, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
    expect(await zh.text()).toMatch(/<html lang="zh-Hans"/);
    const en = await fetch(`${server.url}/privacy?lng=en`);
    expect(await en.text()).toMatch(/<html lang="en"/);
    const cookie = await fetch(`${server.url}/privacy?lng=en`, { headers: { Cookie: 'lng=zh-Hans' } });
    expect(await cookie.text()).toMatch(/<html lang="zh-Hans"/);
    const none = await fetch(`${server.url}/privacy`, { headers: { 'Accept-Language': 'fr' } });
    expect(await none.text()).toMatch(/<html lang="ja"/);
  });

  it('switches language with a plain link: /language sets the cookie and goes back to a path on this site', async () => {
    const res = await fetch(`${server.url}/language?lng=en&redirectTo=${encodeURIComponent('/track?number=X')}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/track?number=X');
    expect(res.headers.get('set-cookie')).toMatch(/^lng=en; Path=\/;/);
    for (const evil of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/\t/evil.example']) {
      const r = await fetch(`${server.url}/language?lng=en&redirectTo=${encodeURIComponent(evil)}`, { redirect: 'manual' });
      expect(r.headers.get('location'), evil).toBe('/');
    }
  });

  it('keeps one cached report page per language', async () => {
    for (let round = 0; round < 2; round++) {
      for (const lng of LANGUAGES) {
        const { html } = await get(`/reports/${BUNDLED_SLUG}`, lng);
        expect(html).toContain(`<html lang="${lng}"`);
      }
    }
  });
});

describe('the opinion form without JavaScript', () => {
  const cases = [
    { lng: 'zh-Hans', tooShort: '意见请至少输入10个字（当前2个字）。', received: '您的意见已受理' },
    { lng: 'en', tooShort: 'Please write at least 10 characters (you have 2).', received: 'Your comment has been received' },
  ] as const;
  for (const c of cases) {
    it(`${c.lng}: a validation error in that language, the typed text kept, then the receipt`, async () => {
      const url = `${server.url}/reports/${BUNDLED_SLUG}/opinions`;
      const bad = await postForm(url, { section: '3', body: 'ab', name: 'Wang', consent: 'on' }, { cookie: `lng=${c.lng}` });
      expect(bad.status).toBe(400);
      const html = await bad.text();
      expect(html).toContain(`<html lang="${c.lng}"`);
      expect(html).toContain(c.tooShort);
      expect(html).toContain(`<title>${c.lng === 'en' ? 'Send a comment | Comment Box' : '提交意见 | 意见箱'}</title>`);
      expect(html).toContain('value="Wang"');
      expect(kanaIn(textOutsideJapanese(html))).toEqual([]);
      const good = await postForm(url, { section: '3', body: `A comment long enough, in ${c.lng}.`, consent: 'on' }, { cookie: `lng=${c.lng}` });
      expect(good.status).toBe(303);
      const receipt = await get(good.headers.get('location')!, c.lng);
      expect(receipt.html).toContain(c.received);
      expect(kanaIn(textOutsideJapanese(receipt.html))).toEqual([]);
    });
  }
});

describe('mail in the language of the page', () => {
  it('sends the acknowledgement of a zh-Hans page in zh-Hans and the office mail in OFFICE_LANG (ja)', async () => {
    const before = smtp.messages.length;
    const res = await postForm(
      `${server.url}/reports/${BUNDLED_SLUG}/opinions`,
      { section: '2', body: '希望加快公园整治进度，谢谢。', email: 'wang@example.cn', consent: 'on' },
      { cookie: 'lng=zh-Hans' },
    );
    expect(res.status).toBe(303);
    const to = (m: (typeof smtp.messages)[number]) => JSON.stringify(m.to ?? '');
    const ack = await waitFor(() => smtp.messages.slice(before).find((m) => to(m).includes('wang@example.cn')));
    expect(ack.subject).toMatch(/^【意见箱】您的意见已受理（受理编号 XZ-/);
    expect(ack.text).toContain('尊敬的意见提交人：');
    expect(ack.text).toContain('希望加快公园整治进度');
    expect(ack.html || '').toContain('<html lang="zh-Hans">');
    expect(KANA.test(ack.subject ?? '')).toBe(false);
    const tracking = /XZ-[0-9A-Z-]+/.exec(ack.subject ?? '')![0];
    const office = await waitFor(() => smtp.messages.find((m) => m.subject?.startsWith(`[意見 ${tracking}]`)));
    expect(office.subject).toMatch(/^\[意見 XZ-/);
    expect(office.text).toContain('意見箱に新しい意見が届きました。');
    const { db } = openDatabase(server.databasePath);
    try {
      const row = await db.selectFrom('opinions').select('language').where('email', '=', 'wang@example.cn').executeTakeFirstOrThrow();
      expect(row.language).toBe('zh-Hans');
    } finally {
      await db.destroy();
    }
  });
});

describe('notice translations', () => {
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/notice-import.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_PATH: server.databasePath, NODE_ENV: 'production' },
    });
  const translations = async () => {
    const { db } = openDatabase(server.databasePath);
    try {
      return await db.selectFrom('report_translations').select(['language', 'content_hash']).orderBy('id').execute();
    } finally {
      await db.destroy();
    }
  };

  it('imports a translation of the same notice and shows it; other languages get the original with a note', async () => {
    await cli(path.join(FIXTURES, 'small-notice.txt'));
    const { stdout } = await cli(path.join(FIXTURES, 'small-notice.zh-Hans.txt'), '--lang', 'zh-Hans');
    expect(stdout).toContain('Imported a new translation (zh-Hans) of /reports/small-notice');
    const zh = await waitFor(async () => {
      const page = await get('/reports/small-notice', 'zh-Hans');
      return page.html.includes('小型测试通报') ? page : null;
    });
    expect(zh.html).toMatch(/<h1 id="report-title" lang="zh-Hans">小型测试通报<\/h1>/);
    expect(zh.html).toContain('一、关于公园整治的问题');
    expect(zh.html).toContain('（二）增加照明');
    expect(kanaIn(textOutsideJapanese(zh.html))).toEqual([]);
    const en = await get('/reports/small-notice', 'en');
    expect(en.html).toContain('This notice is published in Japanese only.');
    expect(en.html).toMatch(/<h1 id="report-title" lang="ja">小さな試験用の通報<\/h1>/);
    expect(kanaIn(textOutsideJapanese(en.html))).toEqual([]);
    // Opinions stay attached to section/item numbers, whatever the page's language.
    const res = await postForm(`${server.url}/reports/small-notice/opinions`, { section: '1', item: '2', body: '请在河边也增加路灯。', consent: 'on' }, { cookie: 'lng=zh-Hans' });
    expect(res.status).toBe(303);
  });

  it('refuses a translation whose items do not line up, with the line and the reason, and writes nothing', async () => {
    const before = await translations();
    const failed = await cli(path.join(FIXTURES, 'small-notice.zh-Hans.mismatched.txt'), '--lang', 'zh-Hans', '--slug', 'small-notice').then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('line 11: section 1 has 2 items in the original but 1 here (item 1.2 is missing); nothing was written');
    expect(await translations()).toEqual(before);
    const zh = await get('/reports/small-notice', 'zh-Hans');
    expect(zh.html).toContain('（二）增加照明');
  });
});
