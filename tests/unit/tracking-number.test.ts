import { describe, expect, it } from 'vitest';
import {
  CROCKFORD_ALPHABET,
  generateReceiptToken,
  generateTrackingNumber,
  normalizeTrackingNumber,
  TRACKING_NUMBER_PATTERN,
} from '~/domain/tracking-number.server';

describe('tracking numbers', () => {
  it('look like XZ-<year>-XXXX-XXXX', () => {
    const n = generateTrackingNumber(new Date('2023-07-03T01:00:00Z'));
    expect(n).toMatch(/^XZ-2023-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(n).toMatch(TRACKING_NUMBER_PATTERN);
  });

  it('take the year of receipt in Asia/Shanghai, not UTC', () => {
    // 2023-12-31 17:00 UTC is already 2024-01-01 01:00 in Shanghai.
    expect(generateTrackingNumber(new Date('2023-12-31T17:00:00Z'))).toMatch(/^XZ-2024-/);
    expect(generateTrackingNumber(new Date('2023-12-31T15:59:59Z'))).toMatch(/^XZ-2023-/);
  });

  it('use the Crockford alphabet, never I, L, O or U', () => {
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateTrackingNumber().slice(8).replace('-', '');
      expect(code).not.toMatch(/[ILOU]/);
      for (const c of code) seen.add(c);
    }
    // 16,000 draws cover all 32 characters: the distribution is not stuck.
    expect([...seen].sort().join('')).toBe([...CROCKFORD_ALPHABET].sort().join(''));
  });

  it('do not repeat over many draws', () => {
    const numbers = new Set(Array.from({ length: 20_000 }, () => generateTrackingNumber()));
    expect(numbers.size).toBe(20_000);
  });

  it('are read back from what a person types', () => {
    expect(normalizeTrackingNumber(' xz-2023-7k3f-9qw2 ')).toBe('XZ-2023-7K3F-9QW2');
    expect(normalizeTrackingNumber('XZ20237K3F9QW2')).toBe('XZ-2023-7K3F-9QW2');
    expect(normalizeTrackingNumber('ＸＺ－２０２３－７Ｋ３Ｆ－９ＱＷ２')).toBe('XZ-2023-7K3F-9QW2');
    expect(normalizeTrackingNumber('XZ-2023-OIL0-0000')).toBe('XZ-2023-0110-0000');
    expect(normalizeTrackingNumber('XZ-2023-UUUU-0000')).toBeNull();
    expect(normalizeTrackingNumber('XZ-2023-7K3F')).toBeNull();
    expect(normalizeTrackingNumber("' or 1=1 --")).toBeNull();
  });
});

describe('receipt tokens', () => {
  it('carry at least 128 random bits in base64url', () => {
    const t = generateReceiptToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(new Set(Array.from({ length: 1000 }, generateReceiptToken)).size).toBe(1000);
  });
});
