import { describe, expect, it } from 'vitest';
import { addWorkingDays, computeDueAt } from '~/utils/due-date';

// Times are given in Asia/Shanghai (+08:00), where working days are counted.
const d = (s: string) => new Date(s);

describe('working days', () => {
  it('counts Monday to Friday within a week, keeping the time of day', () => {
    expect(addWorkingDays(d('2023-07-03T09:30:00+08:00'), 3).toISOString()).toBe(d('2023-07-06T09:30:00+08:00').toISOString());
  });

  it('skips the weekend', () => {
    // Friday + 1 → Monday
    expect(addWorkingDays(d('2023-07-07T16:00:00+08:00'), 1).toISOString()).toBe(d('2023-07-10T16:00:00+08:00').toISOString());
    // Thursday + 5 → next Thursday
    expect(addWorkingDays(d('2023-07-06T10:00:00+08:00'), 5).toISOString()).toBe(d('2023-07-13T10:00:00+08:00').toISOString());
  });

  it('counts from a weekend day to the following working days', () => {
    expect(addWorkingDays(d('2023-07-08T12:00:00+08:00'), 1).toISOString()).toBe(d('2023-07-10T12:00:00+08:00').toISOString());
    expect(addWorkingDays(d('2023-07-09T12:00:00+08:00'), 2).toISOString()).toBe(d('2023-07-11T12:00:00+08:00').toISOString());
  });

  it('uses the Shanghai calendar: Friday 23:30 there is Friday 15:30 UTC', () => {
    // Friday 23:30 in Shanghai (still Friday in UTC) + 1 → Monday 23:30 Shanghai.
    expect(addWorkingDays(d('2023-07-07T23:30:00+08:00'), 1).toISOString()).toBe(d('2023-07-10T23:30:00+08:00').toISOString());
    // Saturday 01:00 in Shanghai is Friday 17:00 UTC: it is a weekend day here.
    expect(addWorkingDays(d('2023-07-08T01:00:00+08:00'), 1).toISOString()).toBe(d('2023-07-10T01:00:00+08:00').toISOString());
  });

  it('makes 15 working days three calendar weeks', () => {
    expect(computeDueAt(d('2023-07-03T09:00:00+08:00'), 15)).toBe(d('2023-07-24T09:00:00+08:00').toISOString());
  });

  it('returns the start for zero days', () => {
    expect(addWorkingDays(d('2023-07-08T12:00:00+08:00'), 0).toISOString()).toBe(d('2023-07-08T12:00:00+08:00').toISOString());
  });
});
