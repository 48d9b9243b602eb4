// How the group commit cuts a surge into batches, on both databases (the
// SQLite run and `npm run test:pg`): on the server's SQLite database (its
// write connection, fsync in the thread pool) batches of MAX_BATCH_OVERLAPPED,
// each stored while the one before waits for its fsync; on PostgreSQL batches
// of MAX_BATCH_SERIAL, one after another (a second transaction beside the
// first would not see its opinions). Each write notes, as it starts, how many
// writes of the surge another connection sees committed and how many callers
// have had their answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../db/dialect';
import { openServerDatabase, type DB } from '~/server/db.server';
import { MAX_BATCH_OVERLAPPED, MAX_BATCH_SERIAL, runQueuedWrite } from '~/server/write-queue.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
/** The database as the server opens it. */
let db: DB;

beforeAll(async () => {
  t = await createTestDb({ withNotice: false });
  db = isPostgres(t.db) ? t.db : openServerDatabase(t.file, { background: false }).db;
});
afterAll(async () => {
  if (db !== t.db) await db.destroy();
  await t.close();
});

type Seen = { committed: number; answered: number };

/** Queues `n` writes at once; resolves with what each saw as it started. */
async function surge(prefix: string, n: number): Promise<Seen[]> {
  let answered = 0;
  const seen: Seen[] = [];
  const committedNow = async () => {
    // Outside the transaction: the read connection (SQLite) or another pooled connection (PostgreSQL).
    const row = await db
      .selectFrom('settings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', 'like', `${prefix}-%`)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const writes = Array.from({ length: n }, (_, i) =>
    runQueuedWrite(db, async (trx) => {
      seen[i] = { committed: await committedNow(), answered };
      await trx.insertInto('settings').values({ key: `${prefix}-${i}`, value: 'x' }).execute();
    }).then(() => {
      answered++;
    }),
  );
  await Promise.all(writes);
  expect(await committedNow()).toBe(n);
  return seen;
}

describe('group commit batches', () => {
  it('stores the next batch while the one before waits for its fsync on SQLite, and waits for it on PostgreSQL', async () => {
    if (isPostgres(db)) {
      const seen = await surge('wqb-pg', MAX_BATCH_SERIAL + 2);
      // One transaction for the first MAX_BATCH_SERIAL writes: none sees another's commit.
      expect(seen.slice(0, MAX_BATCH_SERIAL).every((s) => s.committed === 0 && s.answered === 0)).toBe(true);
      // The next batch starts once the first is committed and every caller of it answered.
      expect(seen.slice(MAX_BATCH_SERIAL)).toEqual([
        { committed: MAX_BATCH_SERIAL, answered: MAX_BATCH_SERIAL },
        { committed: MAX_BATCH_SERIAL, answered: MAX_BATCH_SERIAL },
      ]);
      return;
    }
    const n = MAX_BATCH_OVERLAPPED;
    const seen = await surge('wqb-sqlite', 2 * n + 2);
    // The first batch: nothing committed yet.
    expect(seen.slice(0, n)).toEqual(Array.from({ length: n }, () => ({ committed: 0, answered: 0 })));
    // The second starts at the first one's COMMIT (it sees all of its writes),
    // before the fsync that answers the first one's callers.
    expect(seen[n]).toEqual({ committed: n, answered: 0 });
    expect(seen.slice(n, 2 * n).every((s) => s.committed === n)).toBe(true);
    // The third sees the second's writes committed too.
    expect(seen.slice(2 * n).map((s) => s.committed)).toEqual([2 * n, 2 * n]);
  });
});
