import { describe, expect, it } from 'vitest';
import { parseOpinionForm } from '~/schemas/opinion';
import { getT } from '~/i18n/i18n.server';

// The parser's messages are catalog keys; the page translates them (here into Japanese).
const ja = getT('ja');
import { codePointLength } from '~/utils/text';

// Lengths are counted in Unicode code points after NFC and trimming (see the
// schema's header comment): 👍 is one character, as a person counts it.
function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries({ section: '3', body: 'これは十文字以上の意見です。', consent: 'on', ...fields })) f.append(k, v);
  return f;
}

function parse(fields: Record<string, string>) {
  return parseOpinionForm(form(fields), ja);
}

function ok(fields: Record<string, string>) {
  const r = parse(fields);
  if (!r.success) throw new Error(`expected success, got ${JSON.stringify(r.errors)}`);
  return r.data;
}

function errors(fields: Record<string, string>) {
  const r = parse(fields);
  if (r.success) throw new Error('expected errors');
  return r.errors;
}

describe('body', () => {
  it('accepts 10 characters and refuses 9, counted after trimming', () => {
    expect(ok({ body: '  あいうえおかきくけこ  ' }).body).toBe('あいうえおかきくけこ');
    expect(errors({ body: '  あいうえおかきくけ  ' }).body).toBe('意見は10文字以上で入力してください(現在9文字)。');
  });

  it('accepts 4,000 characters and refuses 4,001', () => {
    expect(ok({ body: '意'.repeat(4000) }).body).toHaveLength(4000);
    expect(errors({ body: '意'.repeat(4001) }).body).toBe('意見は4,000文字以内で入力してください(現在4,001文字)。');
  });

  it('counts an emoji as one character (code points, not UTF-16 units)', () => {
    expect('👍'.length).toBe(2);
    expect(codePointLength('👍')).toBe(1);
    // 9 emoji = 18 UTF-16 units, but 9 characters: too short.
    expect(errors({ body: '👍'.repeat(9) }).body).toContain('10文字以上');
    expect(ok({ body: '👍'.repeat(10) }).body).toBe('👍'.repeat(10));
    // 4,000 emoji are 8,000 UTF-16 units and still allowed.
    expect(ok({ body: '😀'.repeat(4000) }).body).toHaveLength(8000);
    expect(errors({ body: '😀'.repeat(4001) }).body).toContain('4,000文字以内');
  });

  it('normalizes to NFC, so a decomposed が counts once', () => {
    const decomposed = 'か\u3099';
    expect(decomposed).toHaveLength(2);
    const data = ok({ body: decomposed.repeat(10) });
    expect(data.body).toBe('が'.repeat(10));
    // Nine decomposed が are 18 code points before NFC, 9 after: too short.
    expect(errors({ body: decomposed.repeat(9) }).body).toContain('現在9文字');
  });

  it('removes control characters but keeps line breaks and tabs', () => {
    const data = ok({ body: '一行目\r\n二行目\tタブ\u0000\u0007\u001b[31m\u007f\u202eです。' });
    expect(data.body).toBe('一行目\n二行目\tタブ[31mです。');
  });

  it('does not let control characters count towards the minimum', () => {
    expect(errors({ body: 'あいうえおかきくけ\u0000\u0001' }).body).toContain('現在9文字');
  });

  it('asks for an opinion when it is empty or only spaces', () => {
    expect(errors({ body: '  \n\t ' }).body).toBe('意見を入力してください。');
    const f = new FormData();
    f.append('section', '0');
    f.append('consent', 'on');
    const r = parseOpinionForm(f, ja);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.errors.body).toBe('意見を入力してください。');
  });
});

describe('name', () => {
  it('is optional and becomes null when empty', () => {
    expect(ok({ name: '   ' }).name).toBeNull();
  });
  it('accepts 60 characters, refuses 61', () => {
    expect(ok({ name: '山'.repeat(60) }).name).toHaveLength(60);
    expect(errors({ name: '山'.repeat(61) }).name).toBe('お名前は60文字以内で入力してください。');
  });
  it('cannot carry a line break (it would be a header elsewhere)', () => {
    expect(ok({ name: '山田\r\nBcc: evil@example.com' }).name).toBe('山田 Bcc: evil@example.com');
  });
});

describe('email', () => {
  it('accepts an ordinary address and trims it', () => {
    expect(ok({ email: ' taro@example.jp ' }).email).toBe('taro@example.jp');
  });
  it('refuses malformed addresses with a Japanese example', () => {
    for (const bad of ['taro', 'taro@', '@example.jp', 'taro@example', 'ta ro@example.jp', 'a@b@example.jp', '<taro@example.jp>']) {
      expect(errors({ email: bad }).email, bad).toBe('メールアドレスの形式が正しくありません(例:taro@example.jp)。');
    }
  });
  it('accepts 254 characters and refuses 255', () => {
    const at254 = `${'a'.repeat(64)}@${'b'.repeat(186)}.jp`;
    expect(at254).toHaveLength(254);
    expect(ok({ email: at254 }).email).toBe(at254);
    expect(errors({ email: `a${at254}` }).email).toBe('メールアドレスは254文字以内で入力してください。');
  });
});

describe('phone', () => {
  it('accepts digits, spaces, hyphens, + and parentheses', () => {
    expect(ok({ phone: '+86 (573) 8272-2291' }).phone).toBe('+86 (573) 8272-2291');
  });
  it('turns full-width digits and dashes into ASCII', () => {
    expect(ok({ phone: '０５７３－８２７２２２９１１' }).phone).toBe('0573-827222911');
  });
  it('refuses letters and other symbols', () => {
    for (const bad of ['0573-ABC', '0573#1', 'tel:0573']) {
      expect(errors({ phone: bad }).phone, bad).toBe('電話番号は数字、スペース、ハイフン(-)、+、かっこのみで入力してください。');
    }
  });
  it('accepts 20 characters and refuses 21', () => {
    expect(ok({ phone: '1'.repeat(20) }).phone).toHaveLength(20);
    expect(errors({ phone: '1'.repeat(21) }).phone).toBe('電話番号は20文字以内で入力してください。');
  });
});

describe('checkboxes', () => {
  it('requires consent', () => {
    expect(errors({ consent: '' }).consent).toBe('送信するには「個人情報の取扱い」への同意が必要です。');
  });
  it('reads ticked boxes as true and missing ones as false', () => {
    const data = ok({ publicOk: 'on' });
    expect(data.publicOk).toBe(true);
    expect(data.replyWanted).toBe(false);
    expect(data.consent).toBe(true);
  });
  it('needs an email or a phone when a reply is wanted', () => {
    expect(errors({ replyWanted: 'on' }).email).toBe('回答を希望する場合は、メールアドレスか電話番号のどちらかを入力してください。');
    expect(ok({ replyWanted: 'on', phone: '0573-827222911' }).replyWanted).toBe(true);
    expect(ok({ replyWanted: 'on', email: 'taro@example.jp' }).email).toBe('taro@example.jp');
  });
});

describe('section, item and form token', () => {
  it('reads the section and an optional item as numbers', () => {
    expect(ok({ section: '0' })).toMatchObject({ section: 0, item: null });
    expect(ok({ section: '13', item: '4' })).toMatchObject({ section: 13, item: 4 });
  });
  it('refuses a section or item that is not a number', () => {
    expect(errors({ section: 'x' }).section).toBeTruthy();
    expect(errors({ section: '' }).section).toBeTruthy();
    expect(errors({ item: '1; drop table' }).item).toBe('対象の小項目が正しくありません。一覧から選んでください。');
  });
  it('keeps a well-formed form token and drops anything else', () => {
    expect(ok({ formToken: 'abcDEF123_-xyz' }).formToken).toBe('abcDEF123_-xyz');
    expect(ok({ formToken: 'short' }).formToken).toBeNull();
    expect(ok({ formToken: 'has space in it' }).formToken).toBeNull();
  });
  it('reports every invalid field at once, one message each', () => {
    const e = errors({ body: 'みじかい', email: 'x', phone: 'y', consent: '' });
    expect(Object.keys(e).sort()).toEqual(['body', 'consent', 'email', 'phone']);
  });
});
