// The acknowledgement is not a relay (issue 11): its copy of the opinion is
// cut at 500 characters and nothing in it can become a link; the cap counts a
// mailbox however its address is typed; a mailto: link carries no headers.
import { describe, expect, it } from 'vitest';
import { mailboxKey } from '~/mail/ack-limit.server';
import { excerpt, unlinkable } from '~/mail/envelope.server';
import { ACK_COPY_MAX, citizenAcknowledgement, type OpinionMailContext } from '~/mail/templates.server';
import { mailtoHref } from '~/components/opinion-facts';
import { parseOpinionForm } from '~/schemas/opinion';
import { getT } from '~/i18n/i18n.server';

const context = (over: Partial<OpinionMailContext> = {}): OpinionMailContext => ({
  opinionId: 1,
  trackingNumber: 'XZ-2026-ABCD-EFGH',
  reportTitle: '通報',
  sectionNumber: 3,
  sectionTitle: '第三項の題',
  itemNumber: null,
  itemHeading: null,
  body: '歩道の段差を直してください。',
  name: '山田 太郎',
  email: 'taro@example.jp',
  phone: null,
  replyWanted: false,
  publicOk: false,
  channel: 'web',
  receivedAt: '2026-12-01T01:00:00.000Z',
  dueAt: '2026-12-16T15:59:59.999Z',
  contactPhone: '0573-827222911',
  contactMailbox: '秀洲区行政センター527室',
  publicUrl: 'https://ikenbako.example',
  ackWithheldAfter: null,
  ...over,
});

// Anything a mail client could turn into a link: a scheme, www., a host name, an address.
const LINKABLE = /[a-z][a-z0-9+.-]*:\/\/|www\.|[a-z0-9-]\.[a-z]{2,}|@/i;

describe('excerpt', () => {
  it('keeps 500 characters (code points) and says (以下略) on its own line', () => {
    expect(excerpt('あ'.repeat(500), 500)).toEqual({ text: 'あ'.repeat(500), cut: false });
    expect(excerpt('👍'.repeat(501), 500)).toEqual({ text: `${'👍'.repeat(500)}\n(以下略)`, cut: true });
  });
});

describe('unlinkable', () => {
  it.each([
    ['a URL', 'https://evil.example/login?x=1', 'https[:]//evil[.]example/login?x=1'],
    ['a www. name', 'www.evil.example へ', 'www[.]evil[.]example へ'],
    ['a bare domain', 'evil.com で確認', 'evil[.]com で確認'],
    ['an email', 'taro@evil.example', 'taro[at]evil[.]example'],
    ['a full-width at sign', 'taro＠evil.example', 'taro[at]evil[.]example'],
    ['a full-width dot', 'evil．com', 'evil[.]com'],
    ['an IP address', 'http://192.168.0.1/', 'http[:]//192[.]168[.]0[.]1/'],
    ['another scheme', 'ftp://files.example', 'ftp[:]//files[.]example'],
  ])('%s', (_label, input, expected) => {
    const out = unlinkable(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(LINKABLE);
    expect(unlinkable(out)).toBe(out);
  });

  it('leaves ordinary Japanese and numbers as written', () => {
    for (const text of ['予算は3.5億元、2023.12に完了。', '歩道の段差を直してください。', '第01号、3.14%']) expect(unlinkable(text)).toBe(text);
  });
});

describe('citizenAcknowledgement', () => {
  it('never greets with the typed name, and never shows it', () => {
    const mail = citizenAcknowledgement(context({ name: '山田 太郎' }));
    expect(mail.text.startsWith('ご意見をお寄せいただいた方へ\n')).toBe(true);
    expect(mail.text).not.toContain('山田');
    expect(mail.html).not.toContain('山田');
    expect(mail.subject).not.toContain('山田');
  });

  it('cuts the copy at 500 characters with (以下略) and says so', () => {
    const body = `${'い'.repeat(499)}ろ${'は'.repeat(100)}`;
    const mail = citizenAcknowledgement(context({ body }));
    expect(mail.text).toContain(`${'い'.repeat(499)}ろ\n(以下略)`);
    expect(mail.text).not.toContain('ろは');
    expect(mail.text).toContain(`${ACK_COPY_MAX}文字を超える部分は省略しています。`);
    expect(mail.html).toContain('(以下略)');
    expect(mail.html).not.toContain('ろは');
  });

  it('turns nothing in the copy into a link, in either part', () => {
    const body = '当選しました!https://evil.example/claim と www.evil.example、連絡先 prize@evil.example まで。';
    const mail = citizenAcknowledgement(context({ body }));
    const quote = (s: string) => s.slice(s.indexOf('お寄せいただいた意見'), s.indexOf('担当部署が'));
    expect(quote(mail.text)).toContain('https[:]//evil[.]example/claim');
    expect(quote(mail.text)).toContain('prize[at]evil[.]example');
    expect(quote(mail.text)).not.toMatch(LINKABLE);
    expect(quote(mail.html)).not.toMatch(LINKABLE);
    expect(mail.text).toContain('リンクにならないよう');
    // The only links are ours: the tracking page.
    expect([...mail.html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1])).toEqual(['https://ikenbako.example/track?number=XZ-2026-ABCD-EFGH']);
    expect(mail.html).not.toContain('evil.example');
    expect(mail.text).not.toContain('evil.example');
  });
});

describe('mailboxKey', () => {
  it('is one key for one mailbox however the address is typed', () => {
    expect(mailboxKey('Taro@Example.JP')).toBe('taro@example.jp');
    expect(mailboxKey('taro+news@example.jp')).toBe('taro@example.jp');
    expect(mailboxKey('hanako@example.jp')).not.toBe(mailboxKey('taro@example.jp'));
  });
});

describe('mailto links (the opinion page)', () => {
  it('cannot carry a subject, a body, a header or a second recipient', () => {
    expect(mailtoHref('taro@example.jp')).toBe('mailto:taro@example.jp');
    const href = mailtoHref('victim?subject=hi&body=evil&cc=x@example.jp')!;
    expect(href).toBe('mailto:victim%3Fsubject%3Dhi%26body%3Devil%26cc%3Dx@example.jp');
    expect(href).not.toMatch(/[?&#]/);
    expect(mailtoHref('a%0ABcc:b@example.jp')).toBe('mailto:a%250ABcc%3Ab@example.jp');
    expect(mailtoHref('a@b@example.jp')).toBeNull();
    expect(mailtoHref('no-at-sign')).toBeNull();
  });

  it('refuses an address whose domain holds ?, &, =, #, / or %', () => {
    const email = (value: string) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ section: '3', body: 'これは十文字以上の意見です。', consent: 'on', email: value })) f.append(k, v);
      const r = parseOpinionForm(f, getT('ja'));
      return r.success ? r.data.email : r.errors.email;
    };
    expect(email('taro@example.jp')).toBe('taro@example.jp');
    for (const bad of ['taro@example.jp?subject=x', 'taro@example.jp&body=x', 'taro@example.jp#x', 'taro@example.jp/x', 'taro@exa%41mple.jp']) {
      expect(email(bad), bad).toBe('メールアドレスの形式が正しくありません(例:taro@example.jp)。');
    }
  });
});
