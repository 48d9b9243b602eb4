// The words of models and domain code come from the catalogs: a refusal is a
// key with values, Japanese for the CLI (and exactly the text it always was),
// and the reader's language through the route's `t`.
import { describe, expect, it } from 'vitest';
import { checkNotice } from '~/domain/notice-parser.server';
import { diffNotices, summarizeDiff, type NoticeOutline } from '~/domain/notice-diff';
import { getT } from '~/i18n/catalogs.server';
import { PersonalDataError } from '~/models/reply-rules.server';
import { resultsCsvRows, type Results } from '~/models/results.server';
import { formatTarget } from '~/utils/format';
import { passwordIssue, passwordProblem } from '~/utils/password.server';
import { UserError } from '~/utils/user-error.server';

describe('UserError', () => {
  const error = new UserError('models:units.nameTaken', 409, { name: '広報課' });

  it('keeps its Japanese text as the message (the CLI and logs)', () => {
    expect(error.message).toBe('「広報課」という部署は既にあります。');
    expect(error.key).toBe('models:units.nameTaken');
  });

  it('is worded in the reader’s language by the route', () => {
    expect(error.describe(getT('en', 'admin'))).toBe('A unit named "広報課" already exists.');
    expect(error.describe(getT('zh-Hans', 'staff'))).toBe('名为“広報課”的部门已存在。');
  });

  it('shows text that is not a key as it is', () => {
    expect(new UserError('Already translated: fine.').describe(getT('en'))).toBe('Already translated: fine.');
  });

  it('formats numbers as the language does', () => {
    const long = new UserError('models:opinions.noteTooLong', 400, { max: 2000 });
    expect(long.message).toBe('メモは2,000文字以内で入力してください。');
    expect(long.describe(getT('en'))).toBe('Notes can be up to 2,000 characters.');
  });
});

describe('a personal-data refusal', () => {
  const error = new PersonalDataError([{ key: 'models:replies.personalDataInBody', values: { count: 2 } }, { key: 'models:replies.personalDataReview' }], []);

  it('joins its sentences, in Japanese as before and in the reader’s language (plural forms too)', () => {
    expect(error.message).toMatch(/^回答に、個人情報の可能性がある箇所が2件あります。「公開前の確認」の一覧を見て/);
    expect(error.describe(getT('en', 'staff'))).toMatch(/^The reply has 2 passages that may be personal data\. See the "Before publishing" list/);
    expect(error.describe(getT('zh-Hans', 'staff'))).toMatch(/^答复中有2处可能是个人信息。请查看“公开前确认”列表/);
  });
});

describe('password rules', () => {
  it('give a key and values, and the Japanese sentence the CLI prints', () => {
    expect(passwordIssue('abcdefghijk')).toEqual({ key: 'models:password.tooShort', values: { min: 12, length: 11 } });
    expect(passwordProblem('abcdefghijk')).toBe('パスワードは12文字以上にしてください（現在11文字）。');
    expect(getT('en')('models:password.tooShort', passwordIssue('abcdefghijk')!.values)).toBe('Passwords must be at least 12 characters (currently 11).');
  });
});

describe('notice parse problems', () => {
  it('are Japanese for the CLI and in the staff member’s language on the console', () => {
    const { errors } = checkNotice('');
    expect(errors[0].message).toBe('1行目: 入力が空です');
    expect(errors[0].describe(getT('en'))).toBe('The input is empty.');
    expect(errors[0].describe(getT('zh-Hans'))).toBe('输入为空');
  });
});

describe('revision changes', () => {
  const base: NoticeOutline = {
    title: '通報',
    intro: ['前文'],
    summary: '巡視改善活動では…',
    nextSteps: ['次のステップでは…'],
    closing: '連絡先:電話0573-1、郵便ポスト:A。',
    phone: '0573-1',
    mailbox: 'A',
    issuer: '区委員会',
    issuedOn: '2026-01-01',
    sections: [{ number: 1, title: '第一の問題', items: [{ number: 1, heading: '一つ目。', body: '本文' }, { number: 2, heading: '二つ目。', body: '本文' }] }],
  };
  const after = structuredClone(base);
  after.title = '通報(改訂)';
  after.sections[0].items[0].body = '新しい本文';
  after.sections[0].items.pop();
  const diff = diffNotices(base, after);

  it('read the same in Japanese through the catalog as without it', () => {
    expect(summarizeDiff(diff, getT('ja', 'reports'))).toEqual(summarizeDiff(diff));
    expect(summarizeDiff(diff)).toEqual(['表題を変更', '第一項(一)を変更', '第一項(二)を削除']);
  });

  it('are worded in English and Chinese', () => {
    expect(summarizeDiff(diff, getT('en', 'reports'))).toEqual(['Changed: Title', 'Changed: section 1 (1)', 'Removed: section 1 (2)']);
    expect(summarizeDiff(diff, getT('zh-Hans', 'reports'))).toEqual(['修改了标题', '修改了第一项（一）', '删除了第一项（二）']);
  });
});

describe('formatTarget in English', () => {
  it('puts one space after the separator before an item', () => {
    const target = { sectionNumber: 5, sectionTitle: 'Roads', itemNumber: 3, itemHeading: 'Lights' };
    const long = formatTarget(target, 'long', getT('en'));
    expect(long).toBe('section 5 “Roads” / (3) “Lights”');
    expect(long).not.toContain('  ');
    expect(formatTarget({ sectionNumber: 5, itemNumber: 3 }, 'short', getT('en'))).toBe('section 5 (3)');
  });
});

describe('results CSV', () => {
  const row = { sectionNumber: null, label: 'Whole notice, total', received: 4, byChannel: [{ channel: 'web' as const, label: 'Web', count: 4 }], answered: 0, onTimePercent: null, medianWorkingDays: null };
  const results: Results = { slug: 's', title: 'T', generatedAt: '2026-01-01T00:00:00Z', total: row, sections: [], topMeasures: [] };

  it('has its header in the reader’s language', () => {
    expect(resultsCsvRows(results, getT('en', ['reports', 'common']))[0]).toEqual([
      'Row',
      'Target',
      'Comments received',
      'of which Web',
      'Answered',
      'Answered on time (%)',
      'Working days to first reply (median)',
    ]);
    expect(resultsCsvRows(results, getT('ja', ['reports', 'common']))[0].slice(0, 3)).toEqual(['区分', '対象', '受付件数']);
  });
});
