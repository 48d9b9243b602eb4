import { describe, expect, it } from 'vitest';
import { getT } from '~/i18n/i18n.server';
import { staffFormat } from '~/i18n/staff-format';
import { OPINION_LIMITS } from '~/schemas/opinion-fields';
import { ADDRESS_MAX, shanghaiLocalNow, STAFF_OPINION_MESSAGE_VALUES, staffRecordSchema } from '~/schemas/staff-opinion';
import { parseFormData } from '~/utils/form.server';

/** A message as the recording page shows it in Japanese (schema messages are catalog keys). */
const ja = (message: string | false | undefined) =>
  typeof message === 'string' ? staffFormat(getT('ja', 'staff'), 'ja').message(message, { ...OPINION_LIMITS, ...STAFF_OPINION_MESSAGE_VALUES }) : message;

const NOW = new Date('2026-11-27T00:00:00Z'); // 08:00 in Shanghai

function parse(fields: Record<string, string>) {
  const form = new FormData();
  const all = { channel: 'phone', receivedAt: '2026-11-20T09:30', target: '1:5:2', body: '電話で受けた意見です。街灯を増やしてほしい。', ...fields };
  for (const [k, v] of Object.entries(all)) form.append(k, v);
  return parseFormData(form, staffRecordSchema(NOW));
}

describe('staffRecordSchema', () => {
  it('reads the received time as Shanghai time and the target as report, section and item', () => {
    const r = parse({ target: '7:5:' });
    if (!r.success) throw new Error(JSON.stringify(r.errors));
    expect(r.data.receivedAt.toISOString()).toBe('2026-11-20T01:30:00.000Z');
    expect(r.data.target).toEqual({ reportId: 7, section: 5, item: null });
    expect(r.data.channel).toBe('phone');
  });

  it('keeps the postal address as one cleaned line, and none as null', () => {
    const r = parse({ address: ' 嘉興市秀洲区\r\n○○路1号\u200B  101室 ' });
    if (!r.success) throw new Error(JSON.stringify(r.errors));
    expect(r.data.address).toBe('嘉興市秀洲区 ○○路1号 101室');
    const none = parse({ address: '   ' });
    expect(none.success && none.data.address).toBe(null);
  });

  it('counts the address limit in characters', () => {
    expect(parse({ address: '𠮷'.repeat(ADDRESS_MAX) }).success).toBe(true);
    const r = parse({ address: '𠮷'.repeat(ADDRESS_MAX + 1) });
    expect(ja(!r.success && r.errors.address)).toBe(`住所は${ADDRESS_MAX}文字以内で入力してください。`);
  });

  it('explains each problem beside its field, with the public form’s rules for text and contact', () => {
    const r = parse({ channel: 'fax', receivedAt: '2099-01-01T00:00', target: 'x', body: '短い', email: 'not-mail' });
    if (r.success) throw new Error('expected errors');
    expect(ja(r.errors.channel)).toBe('受付方法(電話・郵便・来庁)を選んでください。');
    expect(ja(r.errors.receivedAt)).toBe('受付日時に未来の日時は指定できません。');
    expect(ja(r.errors.target)).toBe('対象の項目を一覧から選んでください。');
    expect(ja(r.errors.body)).toMatch(/10文字以上/);
    expect(ja(r.errors.email)).toMatch(/メールアドレスの形式/);
  });

  it('refuses an impossible date and one more than a year old', () => {
    const bad = parse({ receivedAt: '2026-13-01T09:30' });
    expect(ja(!bad.success && bad.errors.receivedAt)).toBe('受付日時が正しくありません。');
    const old = parse({ receivedAt: '2025-11-01T09:30' });
    expect(ja(!old.success && old.errors.receivedAt)).toBe('受付日時は1年以内の日時を指定してください。');
  });

  it('asks for a contact when an answer is wanted', () => {
    const r = parse({ replyWanted: 'on' });
    expect(ja(!r.success && r.errors.email)).toMatch(/メールアドレスか電話番号/);
    expect(parse({ replyWanted: 'on', phone: '0573-1234-5678' }).success).toBe(true);
  });
});

describe('shanghaiLocalNow', () => {
  it('is the Shanghai wall clock as a datetime-local value', () => {
    expect(shanghaiLocalNow(new Date('2026-11-27T17:05:00Z'))).toBe('2026-11-28T01:05');
  });
});
