import { describe, expect, it } from 'vitest';
import { containsSubmitterDetails, redactOpinion, REDACTION_MASK, type Submitter } from '~/domain/redact';

const nobody: Submitter = { name: null, email: null, phone: null };
const M = REDACTION_MASK;

function r(text: string, submitter: Submitter = nobody) {
  return redactOpinion(text, submitter);
}

describe('redactOpinion: phone numbers', () => {
  it.each([
    ['Chinese mobile, plain', '电话13800138000，请联系', `电话${M}，请联系`],
    ['Chinese mobile with spaces', '携帯 138 0013 8000 まで', `携帯 ${M} まで`],
    ['Chinese mobile with hyphens', '连系138-0013-8000。', `连系${M}。`],
    ['Chinese mobile with +86', '+86 138 0013 8000 にどうぞ', `${M} にどうぞ`],
    ['Chinese mobile with 0086', '0086-13800138000', M],
    ['Chinese landline with hyphen', '电话：0573-82722291', `电话：${M}`],
    ['Chinese landline with parentheses', '(0573)82722291に', `${M}に`],
    ['Chinese landline with full-width parentheses', '（0573）82722291に', `${M}に`],
    ['Chinese landline with spaces', '0573 8272 2291 です', `${M} です`],
    ['Beijing landline', '010-12345678', M],
    ['Chinese landline with +86', '+86-573-82722291', M],
    ['Japanese mobile', '090-1234-5678 にお電話ください', `${M} にお電話ください`],
    ['Japanese Tokyo landline', '自宅は03-1234-5678です', `自宅は${M}です`],
    ['Japanese free dial', 'フリーダイヤル0120-123-456', `フリーダイヤル${M}`],
    ['Japanese landline with parentheses', '(03)1234-5678', M],
    ['Japanese mobile with +81', '+81 90-1234-5678', M],
    ['Japanese +81 with (0)', '+81 (0)3-1234-5678', M],
  ])('%s', (_label, input, expected) => {
    expect(r(input)).toBe(expected);
  });

  it('masks full-width digits and every kind of full-width or Japanese dash', () => {
    expect(r('電話は０９０－１２３４－５６７８です')).toBe(`電話は${M}です`);
    expect(r('電話は０９０ー１２３４ー５６７８です')).toBe(`電話は${M}です`);
    expect(r('電話は090‐1234‐5678です')).toBe(`電話は${M}です`);
    expect(r('電話は090–1234–5678です')).toBe(`電話は${M}です`);
    expect(r('電話は090—1234—5678です')).toBe(`電話は${M}です`);
    expect(r('手机１３８００１３８０００')).toBe(`手机${M}`);
    expect(r('（０５７３）８２７２２２９１')).toBe(M);
  });

  it('leaves ordinary numbers alone', () => {
    for (const text of [
      '2023年に整備しました',
      '1000億元の予算',
      '524国道の渋滞について',
      '2023-07-03 10:00 に見ました',
      '7月3日(07-03)の件',
      '〒060-0001 の住所',
      '予算は13000000000元です',
      '第01号通知、3.14%の増加',
      '0573-827222911', // the notice's own 13-digit number is not a personal phone
    ]) {
      expect(r(text), text).toBe(text);
    }
  });
});

describe('redactOpinion: email addresses', () => {
  it.each([
    ['ASCII', '連絡はtaro.yamada@example.co.jpまで', `連絡は${M}まで`],
    ['Chinese text', '我的邮箱是 wang_xm+news@qq.com ，谢谢', `我的邮箱是 ${M} ，谢谢`],
    ['full-width at sign', 'taro＠example.com へ', `${M} へ`],
    ['full-width letters', 'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ', M],
  ])('%s', (_label, input, expected) => {
    expect(r(input)).toBe(expected);
  });
});

describe('redactOpinion: resident ID numbers', () => {
  it('masks 18 digits, with a final X or x, half- or full-width', () => {
    expect(r('身份证号330411199001011234')).toBe(`身份证号${M}`);
    expect(r('身份证号33041119900101123X。')).toBe(`身份证号${M}。`);
    expect(r('身份证号33041119900101123x')).toBe(`身份证号${M}`);
    expect(r('身分証３３０４１１１９９００１０１１２３Ｘです')).toBe(`身分証${M}です`);
    expect(r('330411 19900101 123X')).toBe(M);
  });

  it('does not mask a 17-digit or 19-digit number as an ID', () => {
    expect(r('番号12345678901234567')).toBe('番号12345678901234567');
    expect(r('番号1234567890123456789')).toBe('番号1234567890123456789');
  });
});

describe("redactOpinion: the submitter's own details", () => {
  it('masks a Japanese name every time it appears, with or without a space', () => {
    const me = { name: '山田 太郎', email: null, phone: null };
    expect(r('山田太郎です。近所の山田　太郎の家の前で、山田太郎が見ました。', me)).toBe(
      `${M}です。近所の${M}の家の前で、${M}が見ました。`,
    );
    // Each part of a multi-part name, too.
    expect(r('山田と申します', me)).toBe(`${M}と申します`);
  });

  it('masks a Chinese name that appears twice', () => {
    const me = { name: '王小明', email: null, phone: null };
    expect(r('我是王小明。王小明住在洪兴路。', me)).toBe(`我是${M}。${M}住在洪兴路。`);
  });

  it('matches the name NFKC-insensitively and case-insensitively', () => {
    expect(r('ｊｏｈｎ ｓｍｉｔｈ here, JOHN SMITH again', { name: 'John Smith', email: null, phone: null })).toBe(
      `${M} here, ${M} again`,
    );
    expect(r('ﾔﾏﾀﾞです', { name: 'ヤマダ', email: null, phone: null })).toBe(`${M}です`);
  });

  it('does not mask a one-character name everywhere', () => {
    expect(r('行李が多い', { name: '李', email: null, phone: null })).toBe('行李が多い');
  });

  it('masks their email and its local part', () => {
    const me = { name: null, email: 'Yamada.Taro@Example.com', phone: null };
    expect(r('メール yamada.taro@example.com 、ID は yamada.taro', me)).toBe(`メール ${M} 、ID は ${M}`);
  });

  it('masks their phone whatever the separators or prefix', () => {
    const me = { name: null, email: null, phone: '090-1234-5678' };
    expect(r('番号 09012345678 / 090 1234 5678 / +81 90-1234-5678 / ０９０（１２３４）５６７８', me)).toBe(
      `番号 ${M} / ${M} / ${M} / ${M}`,
    );
    const cn = { name: null, email: null, phone: '+86 138-0013-8000' };
    expect(r('打13800138000', cn)).toBe(`打${M}`);
  });

  it('finds their phone written without the trunk prefix, which the generic rules miss', () => {
    const me = { name: null, email: null, phone: '0573-8272-2291' };
    expect(r('電話は573 8272 2291へ', nobody)).toBe('電話は573 8272 2291へ');
    expect(r('電話は573 8272 2291へ', me)).toBe(`電話は${M}へ`);
  });

  it('masks their postal address, whole or by its numbered parts, with or without spaces', () => {
    const me = { name: null, email: null, phone: null, address: '嘉興市秀洲区 新城路123号 4幢501室' };
    expect(r('住所は嘉興市秀洲区新城路123号4幢501室です。', me)).toBe(`住所は${M}です。`);
    expect(r('新城路１２３号に住んでいて、4幢 501室の窓から見えます。', me)).toBe(`${M}に住んでいて、${M}の窓から見えます。`);
    // The district alone names no one: a reply about it must stay publishable.
    expect(r('嘉興市秀洲区の道路について', me)).toBe('嘉興市秀洲区の道路について');
  });

  it('masks the house number of an address typed as one run', () => {
    const me = { name: null, email: null, phone: null, address: '嘉興市秀洲区○○路1号101室' };
    expect(r('うちは1号101室です', me)).toBe(`うちは${M}です`);
    expect(r('○○路の街灯', me)).toBe('○○路の街灯');
  });

  it('reports whether the submitter details are still present', () => {
    const me = { name: '山田太郎', email: 'taro@example.com', phone: '090-1234-5678' };
    expect(containsSubmitterDetails('山田太郎です', me)).toBe(true);
    expect(containsSubmitterDetails('TARO@example.com', me)).toBe(true);
    expect(containsSubmitterDetails('０９０１２３４５６７８', me)).toBe(true);
    expect(containsSubmitterDetails(`${M}です`, me)).toBe(false);
    const withAddress = { ...me, address: '嘉興市秀洲区○○路1号' };
    expect(containsSubmitterDetails('嘉興市秀洲区 ○○路1号 の前', withAddress)).toBe(true);
    expect(containsSubmitterDetails('嘉興市秀洲区の前', withAddress)).toBe(false);
  });
});

describe('redactOpinion: as a whole', () => {
  const me = { name: '陳 美玲', email: 'meiling@example.cn', phone: '13912345678' };
  const text =
    '陳美玲です。\n524国道の2023年の工事(1000億元)について。\n連絡先：139-1234-5678、meiling@example.cn、\n身分証33041119900101123X。\n陳美玲';

  it('keeps everything that is not personal, including line breaks', () => {
    expect(r(text, me)).toBe(`${M}です。\n524国道の2023年の工事(1000億元)について。\n連絡先：${M}、${M}、\n身分証${M}。\n${M}`);
  });

  it('is idempotent', () => {
    const once = r(text, me);
    expect(r(once, me)).toBe(once);
    for (const sample of ['090-1234-5678と03-1234-5678', 'a@b.cc x@y.zz', '山田太郎山田太郎']) {
      const first = r(sample, { name: '山田太郎', email: null, phone: null });
      expect(r(first, { name: '山田太郎', email: null, phone: null })).toBe(first);
    }
  });

  it('merges adjacent findings into one mask', () => {
    expect(r('090-1234-5678 taro@example.com', nobody)).toBe(`${M} ${M}`);
    expect(r('山田太郎taro@example.com', { name: '山田太郎', email: null, phone: null })).toBe(M);
  });

  it('keeps surrogate pairs and combining marks intact around masks', () => {
    expect(r('😀090-1234-5678😀', nobody)).toBe(`😀${M}😀`);
    expect(r('か\u3099090-1234-5678', nobody)).toBe(`か\u3099${M}`);
  });
});
