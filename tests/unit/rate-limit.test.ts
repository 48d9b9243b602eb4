import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { checkRateLimit, MAX_KEYS, rateLimitKeyCount, refundRateLimit } from '~/utils/rate-limit.server';

describe('rate limit', () => {
  it('allows the limit within a window, then answers when the oldest hit expires', () => {
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) expect(checkRateLimit('t1', 'a', 3, 60_000, t + i * 1000)).toEqual({ ok: true });
    expect(checkRateLimit('t1', 'a', 3, 60_000, t + 5000)).toEqual({ ok: false, retryAfterSeconds: 55 });
    // Another key is not affected.
    expect(checkRateLimit('t1', 'b', 3, 60_000, t + 5000)).toEqual({ ok: true });
    // The first hit leaves the window at t + 60 s.
    expect(checkRateLimit('t1', 'a', 3, 60_000, t + 60_001)).toEqual({ ok: true });
  });

  it('gives a refunded hit back', () => {
    const t = 2_000_000;
    expect(checkRateLimit('t2', 'a', 1, 60_000, t)).toEqual({ ok: true });
    refundRateLimit('t2', 'a');
    expect(checkRateLimit('t2', 'a', 1, 60_000, t + 1)).toEqual({ ok: true });
    expect(checkRateLimit('t2', 'a', 1, 60_000, t + 2).ok).toBe(false);
  });

  it('stays bounded under 200,000 distinct keys, forgetting the least recently used', () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heapAfterGc = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const t = 3_000_000;
    // A client that keeps coming back stays remembered through the flood.
    expect(checkRateLimit('t3', 'regular', 1, 3_600_000, t)).toEqual({ ok: true });
    const flood = (round: number) => {
      for (let i = 0; i < 200_000; i++) {
        checkRateLimit('t3', `spoofed-${round}-${i}`, 5, 3_600_000, t + 1);
        if (i % 10_000 === 0) expect(checkRateLimit('t3', 'regular', 1, 3_600_000, t + 2).ok).toBe(false);
      }
    };
    flood(1);
    expect(rateLimitKeyCount()).toBeLessThanOrEqual(MAX_KEYS);
    const afterFirst = heapAfterGc();
    flood(2);
    expect(rateLimitKeyCount()).toBeLessThanOrEqual(MAX_KEYS);
    // Steady state: another 200,000 keys cost no more memory (unbounded, they would add ~40 MB).
    expect(heapAfterGc() - afterFirst).toBeLessThan(4 * 1024 * 1024);
    // The regular client is still limited: it was used recently, so not evicted.
    expect(checkRateLimit('t3', 'regular', 1, 3_600_000, t + 3).ok).toBe(false);
    // The first flood's keys were evicted: they count from zero again.
    expect(checkRateLimit('t3', 'spoofed-1-0', 1, 3_600_000, t + 4)).toEqual({ ok: true });
  }, 30_000);
});
