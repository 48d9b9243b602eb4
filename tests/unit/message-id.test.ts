import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '~/mail/outbox.server';
import { messageToken, returnPathFor } from '~/mail/verp.server';

describe('Message-IDs (version 7 UUIDs)', () => {
  it('carries the time in its first 48 bits, version 7 and the RFC 9562 variant', () => {
    const now = Date.UTC(2026, 11, 5, 6, 0, 0, 123);
    const id = timeOrderedUuid(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('sorts as its time does, so new ids join the end of the unique index', () => {
    const t0 = Date.UTC(2026, 11, 5);
    const ids = [0, 1, 2, 1000, 60_000, 86_400_000].map((d) => timeOrderedUuid(t0 + d));
    expect([...ids].sort()).toEqual(ids);
  });

  it('stays unique within one millisecond (74 random bits)', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid(now)));
    expect(ids.size).toBe(10_000);
  });

  it('is a token a bounce address can carry (VERP)', () => {
    const id = timeOrderedUuid();
    expect(messageToken(`<${id}@ikenbako.example.org>`)).toBe(id);
    expect(returnPathFor('bounce@ikenbako.example.org', `<${id}@ikenbako.example.org>`)).toBe(
      `bounce+${id}@ikenbako.example.org`
    );
  });
});
