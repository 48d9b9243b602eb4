import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeRateLimits } from '~/models/rate-limits.server';
import { checkRateLimit, peekRateLimit } from '~/utils/rate-limit.server';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ withNotice: false });
});
afterAll(() => t.close());

describe('rate limit (stored, shared by every process on the database)', () => {
  it('allows the limit within a window, then answers when the window ends', async () => {
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(await checkRateLimit(t.db, 't1', 'a', 3, 60_000, t0 + i * 1000)).toEqual({ ok: true });
    expect(await checkRateLimit(t.db, 't1', 'a', 3, 60_000, t0 + 5000)).toEqual({ ok: false, retryAfterSeconds: 55 });
    // Another key is not affected.
    expect(await checkRateLimit(t.db, 't1', 'b', 3, 60_000, t0 + 5000)).toEqual({ ok: true });
    // The window began with the first hit and ends at t0 + 60 s.
    expect(await checkRateLimit(t.db, 't1', 'a', 3, 60_000, t0 + 60_001)).toEqual({ ok: true });
  });

  it('peeks without counting: yes while a hit is left, then when the window ends', async () => {
    const t0 = 2_000_000;
    expect(await peekRateLimit(t.db, 't2', 'a', 2, t0)).toEqual({ ok: true });
    expect(await peekRateLimit(t.db, 't2', 'a', 2, t0)).toEqual({ ok: true });
    expect(await checkRateLimit(t.db, 't2', 'a', 2, 60_000, t0)).toEqual({ ok: true });
    expect(await peekRateLimit(t.db, 't2', 'a', 2, t0 + 1000)).toEqual({ ok: true });
    expect(await checkRateLimit(t.db, 't2', 'a', 2, 60_000, t0 + 1000)).toEqual({ ok: true });
    expect(await peekRateLimit(t.db, 't2', 'a', 2, t0 + 10_000)).toEqual({ ok: false, retryAfterSeconds: 50 });
    // Peeking counted nothing: the third hit is the first refused one.
    expect((await t.db.selectFrom('rate_limits').select('count').where('key', '=', 't2:a').executeTakeFirstOrThrow()).count).toBe(2);
    // A window that has ended holds nothing back.
    expect(await peekRateLimit(t.db, 't2', 'a', 2, t0 + 60_000)).toEqual({ ok: true });
  });

  it('takes a hit counted inside a transaction back with its rollback', async () => {
    const t0 = 2_500_000;
    await expect(
      t.db.transaction().execute(async (trx) => {
        expect(await checkRateLimit(trx, 't5', 'a', 1, 60_000, t0)).toEqual({ ok: true });
        throw new Error('the rest of the write failed');
      }),
    ).rejects.toThrow('the rest of the write failed');
    expect(await peekRateLimit(t.db, 't5', 'a', 1, t0 + 1)).toEqual({ ok: true });
    expect(await checkRateLimit(t.db, 't5', 'a', 1, 60_000, t0 + 1)).toEqual({ ok: true });
    expect(await checkRateLimit(t.db, 't5', 'a', 1, 60_000, t0 + 2)).toEqual({ ok: false, retryAfterSeconds: 60 });
  });

  it('counts parallel hits one by one (no lost update)', async () => {
    const t0 = 3_000_000;
    const results = await Promise.all(Array.from({ length: 20 }, () => checkRateLimit(t.db, 't3', 'a', 5, 60_000, t0)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
  });

  it('keeps only windows that have not ended: housekeeping deletes the rest', async () => {
    const t0 = 4_000_000;
    await checkRateLimit(t.db, 't4', 'old', 1, 1_000, t0);
    await checkRateLimit(t.db, 't4', 'current', 1, 3_600_000, t0);
    await purgeRateLimits(t.db, new Date(t0 + 2_000));
    const keys = (await t.db.selectFrom('rate_limits').select('key').where('key', 'like', 't4:%').execute()).map((r) => r.key);
    expect(keys).toEqual(['t4:current']);
    // The one still counting keeps its count.
    expect((await checkRateLimit(t.db, 't4', 'current', 1, 3_600_000, t0 + 3_000)).ok).toBe(false);
  });
});
