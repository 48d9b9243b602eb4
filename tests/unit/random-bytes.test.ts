// The pooled random bytes (app/utils/random-bytes.server.ts): the sizes asked
// for, never the same bytes twice, across refills of the pool.
import { describe, expect, it } from 'vitest';
import { randomBytes } from '~/utils/random-bytes.server';
import { generateReceiptToken, generateTrackingNumber, TRACKING_NUMBER_PATTERN } from '~/domain/tracking-number.server';

describe('randomBytes', () => {
  it('gives fresh buffers of the size asked for, none repeated, across many refills of the pool', () => {
    const seen = new Set<string>();
    let bytes = 0;
    for (let i = 0; i < 5_000; i++) {
      const size = 8 + (i % 25);
      const b = randomBytes(size);
      expect(b.length).toBe(size);
      seen.add(b.toString('hex'));
      bytes += size;
    }
    expect(seen.size).toBe(5_000);
    expect(bytes).toBeGreaterThan(20 * 4096);
  });

  it('is not a view of the pool: a buffer handed out keeps its bytes after later draws', () => {
    const first = randomBytes(16);
    const copy = Buffer.from(first);
    for (let i = 0; i < 1_000; i++) randomBytes(24);
    expect(first.equals(copy)).toBe(true);
    expect(first.buffer).not.toBe(randomBytes(16).buffer);
  });

  it('spreads over every byte value', () => {
    const counts = new Array(256).fill(0);
    for (let i = 0; i < 400; i++) for (const v of randomBytes(256)) counts[v] += 1;
    // 102,400 draws: each value ~400 times; a stuck or biased source would leave gaps.
    expect(Math.min(...counts)).toBeGreaterThan(250);
    expect(Math.max(...counts)).toBeLessThan(560);
  });

  it('answers a large request straight from the CSPRNG', () => {
    const big = randomBytes(10_000);
    expect(big.length).toBe(10_000);
    expect(new Set(big).size).toBeGreaterThan(200);
  });

  it('feeds tracking numbers and receipt tokens that do not repeat', () => {
    const numbers = new Set(Array.from({ length: 2_000 }, () => generateTrackingNumber()));
    const tokens = new Set(Array.from({ length: 2_000 }, () => generateReceiptToken()));
    expect(numbers.size).toBe(2_000);
    expect(tokens.size).toBe(2_000);
    for (const n of numbers) expect(n).toMatch(TRACKING_NUMBER_PATTERN);
  });
});
