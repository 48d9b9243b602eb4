import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordLoginAttempt } from '~/models/login-attempts.server';
import {
  ACCOUNT_DELAY_MAX_MS,
  accountDelayMs,
  accountWaitUntil,
  admitLoginAttempt,
  checkLoginLock,
  CLIENT_LOCK_MS,
  lockedUntil,
  lockMessage,
} from '~/server/login-throttle.server';
import { createTestDb } from '../helpers/db';

const SEC = 1000;
const MIN = 60 * SEC;
const T0 = Date.parse('2026-11-27T01:00:00.000Z');

describe('lockedUntil (the per-client window rule)', () => {
  it('is not locked after four failures', () => {
    expect(lockedUntil([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN], T0 + 4 * MIN)).toBeNull();
  });

  it('locks for 15 minutes from the fifth failure within 15 minutes', () => {
    const failures = [T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN];
    expect(lockedUntil(failures, T0 + 4 * MIN)).toBe(T0 + 4 * MIN + CLIENT_LOCK_MS);
    expect(lockedUntil(failures, T0 + 18 * MIN)).toBe(T0 + 19 * MIN);
    expect(lockedUntil(failures, T0 + 19 * MIN)).toBeNull();
  });

  it('does not lock when five failures are spread over more than 15 minutes', () => {
    const failures = [T0, T0 + 4 * MIN, T0 + 8 * MIN, T0 + 12 * MIN, T0 + 16 * MIN];
    expect(lockedUntil(failures, T0 + 16 * MIN)).toBeNull();
  });
});

describe('the per-account progressive delay', () => {
  it('lets four failures in a row pass, then doubles the wait from 30 seconds up to 15 minutes', () => {
    expect([0, 1, 2, 3, 4].map(accountDelayMs)).toEqual([0, 0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9].map(accountDelayMs)).toEqual([30 * SEC, MIN, 2 * MIN, 4 * MIN, 8 * MIN]);
    expect(accountDelayMs(10)).toBe(ACCOUNT_DELAY_MAX_MS);
    expect(accountDelayMs(500)).toBe(15 * MIN);
  });

  it('counts the wait from the latest failure', () => {
    const five = [T0, T0 + SEC, T0 + 2 * SEC, T0 + 3 * SEC, T0 + 10 * SEC];
    expect(accountWaitUntil(five.slice(0, 4), T0 + 3 * SEC)).toBeNull();
    expect(accountWaitUntil(five, T0 + 11 * SEC)).toBe(T0 + 40 * SEC);
    expect(accountWaitUntil(five, T0 + 40 * SEC)).toBeNull();
  });
});

describe('against the database', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    t = await createTestDb({ withNotice: false });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.db.deleteFrom('login_attempts').execute();
  });

  async function fail(email: string, clientHash: string, at: number) {
    await recordLoginAttempt(t.db, { email, clientHash, success: false }, at);
  }

  it('makes an account wait after five failures from different clients, and only for the wait', async () => {
    for (let i = 0; i < 5; i++) await fail('tanaka@example.jp', `client-${i}`, T0 + i * SEC);
    const lock = await checkLoginLock(t.db, { email: 'tanaka@example.jp', clientHash: 'client-new' }, T0 + 10 * SEC);
    expect(lock).toMatchObject({ scope: 'account', until: T0 + 34 * SEC, retryAfterSeconds: 24 });
    expect(lockMessage(lock!)).toMatch(/このアカウント.*約24秒後/);
    // Another account from the same clients is untouched.
    expect(await checkLoginLock(t.db, { email: 'sato@example.jp', clientHash: 'client-new' }, T0 + 10 * SEC)).toBeNull();
    // Not a lock: once the wait is over the account may be tried again.
    expect(await checkLoginLock(t.db, { email: 'tanaka@example.jp', clientHash: 'client-new' }, T0 + 34 * SEC)).toBeNull();
  });

  it('locks one client after five failures on different accounts, for 15 minutes', async () => {
    for (let i = 0; i < 5; i++) await fail(`user${i}@example.jp`, 'client-a', T0 + i * MIN);
    const lock = await checkLoginLock(t.db, { email: 'someone-else@example.jp', clientHash: 'client-a' }, T0 + 6 * MIN);
    expect(lock).toMatchObject({ scope: 'client', retryAfterSeconds: 13 * 60 });
    expect(lockMessage(lock!)).toMatch(/この端末.*約13分後/);
    expect(await checkLoginLock(t.db, { email: 'someone-else@example.jp', clientHash: 'client-b' }, T0 + 6 * MIN)).toBeNull();
    expect(await checkLoginLock(t.db, { email: 'someone-else@example.jp', clientHash: 'client-a' }, T0 + 20 * MIN)).toBeNull();
  });

  it('ends an account’s run of failures at a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) await fail('kato@example.jp', `c${i}`, T0 + i * SEC);
    await recordLoginAttempt(t.db, { email: 'kato@example.jp', clientHash: 'c9', success: true }, T0 + 5 * SEC);
    await fail('kato@example.jp', 'c5', T0 + 6 * SEC);
    expect(await checkLoginLock(t.db, { email: 'kato@example.jp', clientHash: 'c-other' }, T0 + 7 * SEC)).toBeNull();
  });

  it('admits at most five of 50 parallel attempts on one account from 50 clients, each recorded before the next check', async () => {
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => admitLoginAttempt(t.db, { email: 'race@example.jp', clientHash: `race-${i}` }, now)),
    );
    const admitted = results.filter((r) => 'attemptId' in r);
    expect(admitted).toHaveLength(5);
    expect(admitted.map((r) => ('streak' in r ? r.streak : 0)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(results.filter((r) => 'lock' in r).every((r) => 'lock' in r && r.lock.scope === 'account')).toBe(true);
    const rows = await t.db.selectFrom('login_attempts').select('id').where('email', '=', 'race@example.jp').execute();
    expect(rows).toHaveLength(5);
  });

  it('admits at most five of 50 parallel attempts from one client on 50 accounts', async () => {
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => admitLoginAttempt(t.db, { email: `spray${i}@example.jp`, clientHash: 'sprayer' }, now)),
    );
    expect(results.filter((r) => 'attemptId' in r)).toHaveLength(5);
    expect(results.filter((r) => 'lock' in r).every((r) => 'lock' in r && r.lock.scope === 'client')).toBe(true);
  });
});
