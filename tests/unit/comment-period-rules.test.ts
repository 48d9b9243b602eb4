import { describe, expect, it } from 'vitest';
import { getT } from '~/i18n/catalogs.server';
import {
  checkPeriodBounds,
  closedMessage,
  daysLeft,
  describeChange,
  describeDaysLeft,
  describePeriod,
  isAcceptingOpinions,
  periodState,
  readLocalBound,
} from '~/domain/comment-period';

const OPENS = '2026-01-05T01:00:00.000Z'; // 2026-01-05 09:00 in Shanghai
const CLOSES = '2026-02-05T09:00:00.000Z'; // 2026-02-05 17:00 in Shanghai
const period = { opensAt: OPENS, closesAt: CLOSES, officeHours: null, changes: [] };
const at = (iso: string) => new Date(iso);

describe('periodState', () => {
  it('is always open without dates, and follows each bound', () => {
    expect(periodState({ opensAt: null, closesAt: null })).toBe('always');
    expect(periodState(period, at('2026-01-05T00:59:59Z'))).toBe('upcoming');
    expect(periodState(period, at('2026-01-05T01:00:00Z'))).toBe('open');
    expect(periodState(period, at('2026-02-05T08:59:59Z'))).toBe('open');
    expect(periodState(period, at('2026-02-05T09:00:00Z'))).toBe('closed');
    expect(periodState({ opensAt: null, closesAt: CLOSES }, at('2025-01-01T00:00:00Z'))).toBe('open');
    expect(isAcceptingOpinions({ opensAt: null, closesAt: null })).toBe(true);
    expect(isAcceptingOpinions(period, at('2026-03-01T00:00:00Z'))).toBe(false);
  });
});

describe('the days-left count', () => {
  it('counts Shanghai calendar days in the last week only', () => {
    expect(daysLeft(period, at('2026-01-28T15:59:00Z'))).toBeNull(); // 28 Jan 23:59 Shanghai: 8 days
    expect(daysLeft(period, at('2026-01-28T16:00:00Z'))).toBe(7); // 29 Jan 00:00 Shanghai
    expect(daysLeft(period, at('2026-02-04T20:00:00Z'))).toBe(0); // 5 Feb 04:00 Shanghai
    expect(describeDaysLeft(period, at('2026-02-02T02:00:00Z'))).toBe('締め切りまであと3日');
    expect(describeDaysLeft(period, at('2026-02-05T02:00:00Z'))).toBe('本日締め切り');
    expect(daysLeft(period, at('2026-02-06T00:00:00Z'))).toBeNull();
  });
});

describe('wording', () => {
  it('states the period in Shanghai time', () => {
    expect(describePeriod(period)).toBe('意見募集期間: 2026年1月5日 09:00 から 2026年2月5日 17:00 まで');
    expect(describePeriod({ opensAt: null, closesAt: CLOSES })).toBe('意見募集期間: 2026年2月5日 17:00 まで');
    expect(describePeriod({ opensAt: null, closesAt: null })).toBeNull();
  });

  it('says why the forms are closed, before and after', () => {
    expect(closedMessage(period, at('2026-01-01T00:00:00Z'))).toBe('この通報への意見の受付は2026年1月5日 09:00に始まります。それまでは、このサイトからは送信できません。');
    expect(closedMessage(period, at('2026-03-01T00:00:00Z'))).toBe('この通報への意見の受付は2026年2月5日 17:00に終了しました。このサイトからは送信できません。');
    expect(closedMessage(period, at('2026-01-20T00:00:00Z'))).toBeNull();
  });

  it('words an extension with the former close and the reason', () => {
    expect(describeChange({ kind: 'extend', at: '2026-02-01T02:00:00Z', previousClosesAt: CLOSES, closesAt: '2026-02-12T09:00:00Z', reason: '説明会の延期' })).toBe(
      '2026年2月1日 10:00に延長されました(当初: 2026年2月5日 17:00 まで)。理由: 説明会の延期',
    );
  });
});

describe('bounds', () => {
  it('refuses a close that is not after the opening', () => {
    expect(checkPeriodBounds(OPENS, CLOSES)).toBeNull();
    // A catalog key (the form words it in the reader's language); Japanese reads as before.
    expect(checkPeriodBounds(CLOSES, OPENS)).toBe('models:period.closesBeforeOpens');
    expect(getT('ja')(checkPeriodBounds(CLOSES, OPENS)!)).toMatch(/募集開始の日時より後/);
    expect(getT('ja')(checkPeriodBounds(OPENS, OPENS)!)).toMatch(/より後/);
    expect(checkPeriodBounds(null, OPENS)).toBeNull();
  });

  it('reads a typed Shanghai time, none, or nothing it cannot read', () => {
    expect(readLocalBound('2026-01-05T09:00')).toBe(OPENS);
    expect(readLocalBound('none')).toBeNull();
    expect(readLocalBound('')).toBeNull();
    expect(readLocalBound('2026-01-05')).toBeUndefined();
    expect(readLocalBound('tomorrow')).toBeUndefined();
  });
});
