// The publishing check (issue 11): every redaction rule and the usual
// self-introductions, in the reply and the shown copy, each finding with a key
// a moderator's tick can close — except the submitter's own contact details.
import { describe, expect, it } from 'vitest';
import { findPersonalData, findPublicationPersonalData, openFindings } from '~/domain/personal-data';
import type { Submitter } from '~/domain/redact';

const nobody: Submitter = { name: null, email: null, phone: null };
const taro: Submitter = { name: '山田 太郎', email: 'taro@example.jp', phone: '090-1234-5678', address: '嘉興市秀洲区新城路123号' };

const found = (text: string, submitter: Submitter = nobody) => findPersonalData(text, submitter, 'body').map((f) => [f.kind, f.text]);

describe('every redaction rule, with its kind', () => {
  it("finds a neighbour's phone, an email and an 18-digit ID number", () => {
    expect(found('隣の方(0573-8272-2291)から苦情がありました。')).toEqual([['phone', '0573-8272-2291']]);
    expect(found('連絡は hanako@example.com へ')).toEqual([['email', 'hanako@example.com']]);
    expect(found('身份证号33041119900101123X。')).toEqual([['id_number', '33041119900101123X']]);
    expect(found('来月、段差を解消します。')).toEqual([]);
  });

  it("finds the submitter's name however it is typed: with a space, without, full-width, split by zero-width characters", () => {
    expect(found('山田太郎様からのご意見', taro)).toEqual([['submitter_name', '山田太郎']]);
    expect(found('山田 太郎様', { ...taro, name: '山田太郎' })).toEqual([['submitter_name', '山田 太郎']]);
    expect(found('山田　太郎様', taro)).toEqual([['submitter_name', '山田　太郎']]);
    expect(found('山田・太郎様', taro)).toEqual([['submitter_name', '山田・太郎']]);
    expect(found('山\u200B田\u2060太\u00AD郎様', taro)).toEqual([['submitter_name', '山\u200B田\u2060太\u00AD郎']]);
    expect(found('ＹＡＭＡＤＡ　Ｔａｒｏ様', { ...nobody, name: 'Yamada Taro' })).toEqual([['submitter_name', 'ＹＡＭＡＤＡ　Ｔａｒｏ']]);
    expect(found('yamada taro', { ...nobody, name: 'ＹＡＭＡＤＡ ＴＡＲＯ' })).toEqual([['submitter_name', 'yamada taro']]);
  });

  it("finds the submitter's email, phone and address, and those cannot be ticked", () => {
    const findings = findPersonalData('TARO@example.jp、０９０ １２３４ ５６７８、新城路123号', taro, 'body');
    expect(findings.map((f) => [f.kind, f.confirmable])).toEqual([
      ['submitter_email', false],
      ['submitter_phone', false],
      ['submitter_address', false],
    ]);
    // Ticked or not, they stay open.
    expect(openFindings(findings, findings.map((f) => f.key))).toHaveLength(3);
  });

  it('lists a name once, not again for each of its parts, and the same number twice as one finding', () => {
    expect(found('山田太郎と山田太郎', taro)).toEqual([['submitter_name', '山田太郎']]);
    expect(found('0573-8272-2291 または 0573 8272 2291')).toHaveLength(2);
    expect(found('0573-8272-2291 または 0573-8272-2291')).toHaveLength(1);
  });
});

describe('self-introductions, as probable names', () => {
  it.each([
    ['私は○○です', '私は鈴木です。道路について', '鈴木'],
    ['わたしは○○と申します', 'わたしは佐藤花子と申します', '佐藤花子'],
    ['○○と申します', '秀洲区在住の、高橋と申します。', '高橋'],
    ['氏名:○○', '氏名:王小明 電話なし', '王小明'],
    ['氏名:○○ (full-width colon)', '氏名：李雷、', '李雷'],
    ['名前: ○○', 'お名前: Tanaka', 'Tanaka'],
    ['我是○○', '我是王小明，住在洪兴路。', '王小明'],
    ['我叫○○', '我叫李雷。', '李雷'],
  ])('%s', (_label, text, name) => {
    const findings = findPersonalData(text, nobody, 'redactedOpinion');
    expect(findings.map((f) => [f.kind, f.text, f.confirmable])).toEqual([['self_introduction', name, true]]);
    expect(findings[0].field).toBe('redactedOpinion');
    expect(`${findings[0].before}${findings[0].text}${findings[0].after}`).toContain(name);
  });

  it('leaves a sentence about the writer that names no one', () => {
    expect(found('私は秀洲区の住民です。')).toEqual([]);
    expect(found('我是本地的居民，')).toEqual([]);
  });
});

describe('the publication as a whole', () => {
  it('checks the copy only when it is shown, and the reply always', () => {
    const publication = { body: '担当の03-1234-5678へ', redactedOpinion: '私は鈴木です', showOpinion: false };
    expect(findPublicationPersonalData(publication, nobody).map((f) => f.field)).toEqual(['body']);
    expect(findPublicationPersonalData({ ...publication, showOpinion: true }, nobody).map((f) => f.field)).toEqual(['redactedOpinion', 'body']);
  });

  it('closes a finding only by its own key: the same number in the other field, or another number, stays open', () => {
    const findings = findPublicationPersonalData({ body: '03-1234-5678', redactedOpinion: '03-1234-5678、06-1111-2222', showOpinion: true }, nobody);
    expect(findings).toHaveLength(3);
    const inBody = findings.find((f) => f.field === 'body')!;
    expect(openFindings(findings, [inBody.key]).map((f) => [f.field, f.text])).toEqual([
      ['redactedOpinion', '03-1234-5678'],
      ['redactedOpinion', '06-1111-2222'],
    ]);
    // The key holds however the number is spaced or typed, so a tick survives re-rendering the same text.
    const again = findPersonalData('０３ー１２３４ー５６７８', nobody, 'body');
    expect(again[0].key).not.toBe(inBody.key);
    expect(findPersonalData('03-1234-5678', nobody, 'body')[0].key).toBe(inBody.key);
    expect(openFindings(findings, ['body:phone:forged', 'nonsense'])).toHaveLength(3);
  });
});
