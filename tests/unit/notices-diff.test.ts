import { describe, expect, it } from 'vitest';
import { diffNotices, summarizeDiff, type NoticeOutline } from '~/domain/notice-diff';

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
  sections: [
    { number: 1, title: '第一の問題', items: [{ number: 1, heading: '一つ目。', body: '本文' }, { number: 2, heading: '二つ目。', body: '本文' }] },
    { number: 2, title: '第二の問題', items: [{ number: 1, heading: '三つ目。', body: '本文' }] },
  ],
};

describe('diffNotices', () => {
  it('finds nothing in the same text', () => {
    const diff = diffNotices(base, structuredClone(base));
    expect(diff.changed).toBe(false);
    expect(summarizeDiff(diff)).toEqual([]);
  });

  it('pairs sections and items by number: changed, added, removed', () => {
    const after = structuredClone(base);
    after.sections[0].items[0].body = '新しい本文';
    after.sections[0].items.pop();
    after.sections.push({ number: 3, title: '第三の問題', items: [{ number: 1, heading: '四つ目。', body: '' }] });
    after.title = '通報(改訂)';
    const diff = diffNotices(base, after);
    expect(diff.sections.map((s) => [s.number, s.kind])).toEqual([
      [1, 'changed'],
      [2, 'unchanged'],
      [3, 'added'],
    ]);
    expect(diff.sections[0].items.map((i) => [i.number, i.kind])).toEqual([
      [1, 'changed'],
      [2, 'removed'],
    ]);
    expect(diff.renumbered).toEqual([]);
    expect(summarizeDiff(diff)).toEqual(['表題を変更', '第一項(一)を変更', '第一項(二)を削除', '第三項を追加']);
  });

  it('reports text that moved to another number', () => {
    const after = structuredClone(base);
    after.sections = [
      { number: 1, title: '新しい問題', items: [{ number: 1, heading: '新規。', body: '' }] },
      { ...base.sections[0], number: 2 },
      { ...base.sections[1], number: 3 },
    ];
    const diff = diffNotices(base, after);
    expect(diff.renumbered.map((r) => [r.from, r.to, r.text])).toEqual([
      [1, 2, '第一の問題'],
      [2, 3, '第二の問題'],
    ]);
    expect(summarizeDiff(diff)).toContain('第一項の内容を第二項へ移動(番号の変更)');
  });

  it('reports an item inserted before others as renumbering', () => {
    const after = structuredClone(base);
    after.sections[0].items = [{ number: 1, heading: '新しい措置。', body: '' }, ...base.sections[0].items.map((i) => ({ ...i, number: i.number + 1 }))];
    const diff = diffNotices(base, after);
    expect(diff.renumbered.map((r) => [r.sectionNumber, r.from, r.to])).toEqual([
      [1, 1, 2],
      [1, 2, 3],
    ]);
  });
});
