import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordLoginAttempt } from '~/models/login-attempts.server';
import { checkLoginLock, LOCKOUT_DURATION_MS, lockedUntil, lockMessage } from '~/server/login-throttle.server';
import { createTestDb } from '../helpers/db';

const MIN = 60 * 1000;
const T0 = Date.parse('2026-11-27T01:00:00.000Z');

describe('lockedUntil (the window rule)', () => {
  it('is not locked after four failures', () => {
    expect(lockedUntil([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN], T0 + 4 * MIN)).toBeNull();
  });

  it('locks for 15 minutes from the fifth failure within 15 minutes', () => {
    const failures = [T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN];
    expect(lockedUntil(failures, T0 + 4 * MIN)).toBe(T0 + 4 * MIN + LOCKOUT_DURATION_MS);
    expect(lockedUntil(failures, T0 + 18 * MIN)).toBe(T0 + 19 * MIN);
    expect(lockedUntil(failures, T0 + 19 * MIN)).toBeNull();
  });

  it('does not lock when five failures are spread over more than 15 minutes', () => {
    const failures = [T0, T0 + 4 * MIN, T0 + 8 * MIN, T0 + 12 * MIN, T0 + 16 * MIN];
    expect(lockedUntil(failures, T0 + 16 * MIN)).toBeNull();
  });
});

describe('checkLoginLock against the database', () => {
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

  it('locks one account after five failures from different clients, then unlocks after 15 minutes', async () => {
    for (let i = 0; i < 5; i++) await fail('tanaka@example.jp', `client-${i}`, T0 + i * MIN);
    const lock = await checkLoginLock(t.db, { email: 'tanaka@example.jp', clientHash: 'client-new' }, T0 + 5 * MIN);
    expect(lock).toMatchObject({ scope: 'account', retryAfterSeconds: 14 * 60 });
    expect(lockMessage(lock!)).toMatch(/約14分後/);
    // Another account from the same clients is untouched.
    expect(await checkLoginLock(t.db, { email: 'sato@example.jp', clientHash: 'client-new' }, T0 + 5 * MIN)).toBeNull();
    expect(await checkLoginLock(t.db, { email: 'tanaka@example.jp', clientHash: 'client-new' }, T0 + 19 * MIN)).toBeNull();
  });

  it('locks one client after five failures on different accounts', async () => {
    for (let i = 0; i < 5; i++) await fail(`user${i}@example.jp`, 'client-a', T0 + i * MIN);
    const lock = await checkLoginLock(t.db, { email: 'someone-else@example.jp', clientHash: 'client-a' }, T0 + 6 * MIN);
    expect(lock).toMatchObject({ scope: 'client' });
    expect(lockMessage(lock!)).toMatch(/この端末/);
    expect(await checkLoginLock(t.db, { email: 'someone-else@example.jp', clientHash: 'client-b' }, T0 + 6 * MIN)).toBeNull();
    expect(await checkLoginLock(t.db, { email: 'someone-else@example.jp', clientHash: 'client-a' }, T0 + 20 * MIN)).toBeNull();
  });

  it('forgets an account’s earlier failures after a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) await fail('kato@example.jp', `c${i}`, T0 + i * MIN);
    await recordLoginAttempt(t.db, { email: 'kato@example.jp', clientHash: 'c9', success: true }, T0 + 5 * MIN);
    await fail('kato@example.jp', 'c5', T0 + 6 * MIN);
    expect(await checkLoginLock(t.db, { email: 'kato@example.jp', clientHash: 'c-other' }, T0 + 7 * MIN)).toBeNull();
  });
});
