import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '~/mail/outbox.server';

const MIN = 60_000;

describe('outbox backoff', () => {
  it('waits about 1 min, 5 min, 30 min, 2 h and 12 h after each failed attempt', () => {
    expect([1, 2, 3, 4, 5].map(backoffDelayMs)).toEqual([1 * MIN, 5 * MIN, 30 * MIN, 120 * MIN, 720 * MIN]);
  });
  it('stays at 12 h after the fifth attempt', () => {
    expect(backoffDelayMs(6)).toBe(720 * MIN);
    expect(backoffDelayMs(20)).toBe(720 * MIN);
  });
  it('does not wait before the first attempt', () => {
    expect(backoffDelayMs(0)).toBe(0);
  });
  it('never shrinks from one attempt to the next', () => {
    for (let a = 1; a < 10; a++) expect(backoffDelayMs(a + 1)).toBeGreaterThanOrEqual(backoffDelayMs(a));
  });
});
