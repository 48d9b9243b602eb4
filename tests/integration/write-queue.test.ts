// Group commit against a real SQLite file: writes queued together share one
// transaction, each settles only after its commit, and one failing write is
// rolled back alone.
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpinion } from '~/models/opinions.server';
import { runQueuedWrite } from '~/server/write-queue.server';
import { BUNDLED_SLUG, createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: SQLite.Database;
let reportId: number;

beforeAll(async () => {
  t = await createTestDb();
  other = new SQLite(t.file, { readonly: true });
  reportId = (await t.db.selectFrom('reports').select('id').where('slug', '=', BUNDLED_SLUG).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  other.close();
  await t.close();
});

const seenByOther = (key: string) => other.prepare('select count(*) as n from settings where key = ?').get(key) as { n: number };
const insertSetting = (key: string) =>
  runQueuedWrite(t.db, async (trx) => {
    await trx.insertInto('settings').values({ key, value: 'x' }).execute();
    return key;
  });

describe('write queue', () => {
  it('runs writes queued together in one transaction and settles each only after the commit', async () => {
    const observed: Array<{ own: number; other: number }> = [];
    const first = insertSetting('wq-a');
    const second = runQueuedWrite(t.db, async (trx) => {
      // The first write is visible here (same transaction) but not yet committed.
      const own = await sql<{ n: number }>`select count(*) as n from settings where key = 'wq-a'`.execute(trx);
      observed.push({ own: own.rows[0].n, other: seenByOther('wq-a').n });
      await trx.insertInto('settings').values({ key: 'wq-b', value: 'y' }).execute();
      return 'b';
    });
    expect(await Promise.all([first, second])).toEqual(['wq-a', 'b']);
    expect(observed).toEqual([{ own: 1, other: 0 }]);
    // Settled means durable and visible to every other connection.
    expect(seenByOther('wq-a').n).toBe(1);
    expect(seenByOther('wq-b').n).toBe(1);
  });

  it('rolls back a failing write alone and hands its error to its caller only', async () => {
    const failing = runQueuedWrite(t.db, async (trx) => {
      await trx.insertInto('settings').values({ key: 'wq-failed', value: 'x' }).execute();
      throw new Error('this write fails');
    });
    const before = insertSetting('wq-before');
    const after = insertSetting('wq-after');
    await expect(failing).rejects.toThrow('this write fails');
    expect(await before).toBe('wq-before');
    expect(await after).toBe('wq-after');
    expect(seenByOther('wq-failed').n).toBe(0);
    expect(seenByOther('wq-before').n + seenByOther('wq-after').n).toBe(2);
  });

  it('dedupes a form posted twice at the same moment, even inside one batch', async () => {
    const input = {
      reportId,
      sectionNumber: 1,
      itemNumber: null,
      body: '同時に二度送られた意見です。一件だけ残るはずです。',
      name: null,
      email: 'twice@example.cn',
      phone: null,
      replyWanted: false,
      publicOk: false,
      consent: true,
      channel: 'web' as const,
      receivedAt: new Date(),
      clientHash: 'wq-client',
      userAgent: null,
      formToken: 'wq-form-token-0001',
      recordedById: null,
    };
    const [a, b] = await Promise.all([createOpinion(t.db, input), createOpinion(t.db, input)]);
    expect(b.trackingNumber).toBe(a.trackingNumber);
    expect([a.duplicate, b.duplicate]).toEqual([false, true]);
    const rows = other.prepare('select count(*) as n from opinions where form_token = ?').get('wq-form-token-0001') as { n: number };
    expect(rows.n).toBe(1);
    const mail = other.prepare('select count(*) as n from outbox_messages where opinion_id = ?').get(a.id) as { n: number };
    expect(mail.n).toBeGreaterThanOrEqual(2);
  });
});
