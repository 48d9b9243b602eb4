// The models the server wiring reads through: the report page's content
// version (its cache key), stored settings, and staff session rows. Each
// against a real SQLite file, written to through a second connection as the
// import CLI or a second server process would.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getContentVersion } from '~/models/content-version.server';
import { importNotice } from '~/models/notices.server';
import { createOpinion } from '~/models/opinions.server';
import { getSessionUser, startSession } from '~/models/sessions.server';
import { getOrCreateSetting } from '~/models/settings.server';
import { createUser } from '~/models/users.server';
import { openDatabase, type DB } from '~/server/db.server';
import { BUNDLED_NOTICE_PATH, BUNDLED_SLUG, createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: DB;
let reportId: number;

beforeAll(async () => {
  t = await createTestDb();
  other = openDatabase(t.file).db;
  reportId = (await t.db.selectFrom('reports').select('id').where('slug', '=', BUNDLED_SLUG).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await other.destroy();
  await t.close();
});

describe('getContentVersion', () => {
  it('stays put while nothing the report page shows changes', async () => {
    const before = await getContentVersion(t.db);
    expect((await importNotice(other, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG)).status).toBe('unchanged');
    await getOrCreateSetting(other, 'unrelated', 'x');
    expect(await getContentVersion(t.db)).toEqual(before);
  });

  it('changes when another connection stores a new revision of the notice', async () => {
    const before = await getContentVersion(t.db);
    const revised = fs.readFileSync(BUNDLED_NOTICE_PATH, 'utf8').replace('(一)政策支持を強化する。', '(一)政策支援を一層強化する。');
    expect((await importNotice(other, revised, BUNDLED_SLUG)).status).toBe('revised');
    expect((await getContentVersion(t.db)).content).not.toBe(before.content);
  });

  it('changes its tally, not its content, when another connection stores an opinion', async () => {
    const before = await getContentVersion(t.db);
    await createOpinion(other, {
      reportId,
      sectionNumber: 1,
      itemNumber: null,
      body: '目次の件数が変わるので、ページの版も変わるはずです。',
      name: null,
      email: null,
      phone: null,
      replyWanted: false,
      publicOk: false,
      consent: true,
      channel: 'web',
      receivedAt: new Date(),
      clientHash: 'cv-client',
      userAgent: null,
      formToken: null,
      recordedById: null,
    });
    const after = await getContentVersion(t.db);
    expect(after.content).toBe(before.content);
    expect(after.tally).not.toBe(before.tally);
  });
});

describe('getOrCreateSetting', () => {
  it('stores the first value and hands it to every later caller, on any connection', async () => {
    expect(await getOrCreateSetting(t.db, 'client_hash_key', 'first')).toBe('first');
    expect(await getOrCreateSetting(other, 'client_hash_key', 'second')).toBe('first');
    expect(await getOrCreateSetting(t.db, 'client_hash_key', 'third')).toBe('first');
  });
});

describe('sessions', () => {
  it('starts a session that replaces the one presented and stamps the last sign-in', async () => {
    const user = await createUser(t.db, { email: 'session@example.jp', displayName: '受付 一郎', role: 'moderator', password: 'a-long-test-password' });
    const at = '2026-11-27T01:00:00.000Z';
    await startSession(t.db, { key: 'first-key', replaces: null, userId: user.id, at });
    expect(await getSessionUser(t.db, 'first-key')).toEqual({
      id: user.id,
      email: 'session@example.jp',
      displayName: '受付 一郎',
      role: 'moderator',
      active: true,
      createdAt: at,
      lastSeenAt: at,
      mustChangePassword: false,
      twoFactorEnabled: false,
      pendingSecondFactor: false,
      factorFailures: 0,
    });

    await startSession(t.db, { key: 'second-key', replaces: 'first-key', userId: user.id, at: '2026-11-27T02:00:00.000Z' });
    expect(await getSessionUser(t.db, 'first-key')).toBeNull();
    expect((await getSessionUser(t.db, 'second-key'))?.lastSeenAt).toBe('2026-11-27T02:00:00.000Z');
    const row = await t.db.selectFrom('users').select('last_login_at').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.last_login_at).toBe('2026-11-27T02:00:00.000Z');
  });
});
