// The housekeeping timer against a real database: old sign-in attempts and
// ended sessions go, live ones stay; refused sign-ins become one audit row per
// account when their window ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLoginAttempt } from '~/models/login-attempts.server';
import { createUser } from '~/models/users.server';
import { startHousekeeping } from '~/server/housekeeping.server';
import { flushRefusedSignIns, noteRefusedSignIn } from '~/server/refused-sign-ins.server';
import { createTestDb } from '../helpers/db';

const HOUR = 3600_000;
let t: Awaited<ReturnType<typeof createTestDb>>;
let userId: number;

beforeAll(async () => {
  t = await createTestDb({ withNotice: false });
  userId = (await createUser(t.db, { email: 'keeper@example.jp', displayName: '保守', role: 'staff', password: 'a-long-enough-password' })).id;
});
afterAll(async () => {
  await t.close();
});

describe('startHousekeeping', () => {
  it('purges day-old attempts and ended sessions on its timer, and keeps the rest', async () => {
    const now = Date.now();
    const iso = (ago: number) => new Date(now - ago).toISOString();
    await recordLoginAttempt(t.db, { email: 'old@example.jp', clientHash: 'c', success: false }, now - 25 * HOUR);
    await recordLoginAttempt(t.db, { email: 'recent@example.jp', clientHash: 'c', success: false }, now - 23 * HOUR);
    await t.db
      .insertInto('sessions')
      .values([
        { id: 'idle', user_id: userId, created_at: iso(9 * HOUR), last_seen_at: iso(8 * HOUR + 60_000) },
        { id: 'too-long', user_id: userId, created_at: iso(12 * HOUR + 60_000), last_seen_at: iso(60_000) },
        { id: 'live', user_id: userId, created_at: iso(11 * HOUR), last_seen_at: iso(60_000) },
      ])
      .execute();

    const stop = startHousekeeping(t.db, { flushEveryMs: 20, purgeEveryMs: 20 });
    try {
      await expect
        .poll(async () => (await t.db.selectFrom('sessions').select('id').orderBy('id').execute()).map((s) => s.id), { timeout: 5_000 })
        .toEqual(['live']);
      const emails = (await t.db.selectFrom('login_attempts').select('email').execute()).map((r) => r.email);
      expect(emails).toEqual(['recent@example.jp']);
    } finally {
      await stop();
    }
  });

  it('writes refused sign-ins as one row per account once the window has ended, and the rest at stop', async () => {
    const start = Date.now() - 16 * 60_000;
    for (let i = 0; i < 7; i++) noteRefusedSignIn('ended@example.jp', i < 5 ? 'account' : 'client', `c${i % 2}`, start + i);
    noteRefusedSignIn('current@example.jp', 'account', 'c9');
    expect(await flushRefusedSignIns(t.db)).toBe(1);
    const rows = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.refused').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_label).toBe('ended@example.jp');
    expect(JSON.parse(rows[0].after_json!)).toMatchObject({ refused: 7, byScope: { account: 5, client: 2 }, clientHashes: ['c0', 'c1'] });

    const stop = startHousekeeping(t.db, { flushEveryMs: 60_000, purgeEveryMs: 60_000 });
    await stop();
    const after = await t.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'auth.refused').orderBy('id').execute();
    expect(after.map((r) => r.actor_label)).toEqual(['ended@example.jp', 'current@example.jp']);
  });
});
