// The server's database connections (decision 012) against a real SQLite
// file: reads never wait for an open transaction, writes take turns, a lock
// held by another process is waited for on timers (the event loop runs on),
// and the background writer thread comes back after a crash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, type DB } from '~/server/db.server';
import { WalSync } from '~/server/wal-sync.server';
import { BackgroundWriter } from '~/server/db-background.server';
import { RESTART_AFTER_FAILED_START_MS } from '~/server/request-threads.server';
import { isBusyError } from '~/server/db-errors.server';
import { addRateLimitHit } from '~/models/rate-limits.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let server: ReturnType<typeof openServerDatabase>;
let db: DB;

beforeAll(async () => {
  t = await createTestDb();
  server = openServerDatabase(t.file);
  db = server.db;
});
afterAll(async () => {
  await db.destroy();
  await t.close();
});

const setting = async (key: string) =>
  (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('reads and writes on the server database', () => {
  it('answers a read at once while a transaction is open, without its uncommitted writes', async () => {
    const inside = deferred();
    const release = deferred();
    const trx = db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'dw-open', value: 'uncommitted' }).execute();
      inside.resolve();
      await release.promise;
    });
    await inside.promise;
    // The transaction still holds the write connection here.
    expect(await setting('dw-open')).toBeNull();
    release.resolve();
    await trx;
    expect(await setting('dw-open')).toBe('uncommitted');
  });

  it('runs a write outside a transaction after the open one, never inside it', async () => {
    const inside = deferred();
    const release = deferred();
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'dw-rolled-back', value: 'x' }).execute();
      inside.resolve();
      await release.promise;
      throw new Error('this transaction fails');
    });
    await inside.promise;
    const single = db.insertInto('settings').values({ key: 'dw-single', value: 'y' }).execute();
    release.resolve();
    await expect(failing).rejects.toThrow('this transaction fails');
    await single;
    expect(await setting('dw-rolled-back')).toBeNull();
    expect(await setting('dw-single')).toBe('y');
  });

  it('waits for a lock another connection holds without blocking the event loop, then writes', async () => {
    const other = new SQLite(t.file);
    other.exec('begin immediate');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    let settled = false;
    const write = db
      .insertInto('settings')
      .values({ key: 'dw-after-lock', value: 'z' })
      .execute()
      .finally(() => (settled = true));
    // Timers keep firing while the write waits: nothing sleeps on this thread.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (ticks >= 20) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    expect(settled).toBe(false);
    other.exec('commit');
    other.close();
    await write;
    clearInterval(ticker);
    expect(await setting('dw-after-lock')).toBe('z');
  });

  it('keeps the journals of savepoints and statements in memory on the write connection', async () => {
    // 2 = MEMORY: each job of a group commit runs in a savepoint, and a temp
    // file for its journal cost ~100 pwrite calls per opinion.
    expect(server.writer.sqlite.pragma('temp_store', { simple: true })).toBe(2);
    // A job rolled back to its savepoint still loses only its own writes.
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'dw-kept', value: 'kept' }).execute();
      await sql`savepoint dw_job`.execute(trx);
      await trx.insertInto('settings').values({ key: 'dw-undone', value: 'undone' }).execute();
      await sql`rollback to savepoint dw_job`.execute(trx);
      await sql`release savepoint dw_job`.execute(trx);
    });
    expect(await setting('dw-kept')).toBe('kept');
    expect(await setting('dw-undone')).toBeNull();
  });

  it('answers SQLITE_BUSY (a 503) when the lock is held past the wait', async () => {
    const other = new SQLite(t.file);
    other.exec('begin immediate');
    try {
      const error = await db
        .insertInto('settings')
        .values({ key: 'dw-busy', value: 'never' })
        .execute()
        .then(() => null, (e: unknown) => e);
      expect(isBusyError(error)).toBe(true);
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect(await setting('dw-busy')).toBeNull();
  }, 20_000);

  it('runs a migration-style raw transaction with everything inside it', async () => {
    await sql`begin immediate`.execute(db);
    await sql`insert into settings (key, value) values ('dw-raw', 'r')`.execute(db);
    // A read inside the raw transaction sees its own write.
    const inside = await sql<{ value: string }>`select value from settings where key = 'dw-raw'`.execute(db);
    expect(inside.rows).toEqual([{ value: 'r' }]);
    await sql`rollback`.execute(db);
    expect(await setting('dw-raw')).toBeNull();
  });
});

describe('WAL sync', () => {
  it('shares one fsync among the calls made while another runs', async () => {
    const wal = new WalSync(`${t.file}-wal`);
    const first = wal.sync();
    const second = wal.sync();
    const third = wal.sync();
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    await Promise.all([first, second, third]);
    await wal.close();
  });

  it('acknowledges a durable write only after its fsync, a rate-limit hit at its COMMIT', async () => {
    // Hold every fsync of the WAL until released: the disk is "slow".
    const probe = await fs.promises.open(t.file, 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const realSync = proto.sync;
    const disk = deferred();
    const syncs: string[] = [];
    proto.sync = async function (this: unknown) {
      syncs.push('started');
      await disk.promise;
      return realSync.call(this);
    };
    try {
      let durableDone = false;
      const durable = db
        .insertInto('settings')
        .values({ key: 'dw-durable', value: 'd' })
        .execute()
        .then(() => (durableDone = true));
      const hit = await addRateLimitHit(db, 'dw-test:client', 60_000, new Date());
      expect(hit.count).toBe(1);
      // The hit is answered while the durable write still waits for its fsync.
      expect(durableDone).toBe(false);
      disk.resolve();
      await durable;
      expect(durableDone).toBe(true);
      expect(syncs.length).toBeGreaterThan(0);
    } finally {
      proto.sync = realSync;
      disk.resolve();
    }
  });

  it('asks for no fsync of its own for a rate-limit hit; the next durable write carries it', async () => {
    const probe = await fs.promises.open(t.file, 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const realSync = proto.sync;
    let syncs = 0;
    proto.sync = function (this: unknown) {
      syncs += 1;
      return realSync.call(this);
    };
    try {
      await addRateLimitHit(db, 'dw-nosync:client', 60_000, new Date());
      await addRateLimitHit(db, 'dw-nosync:client', 60_000, new Date());
      expect(syncs).toBe(0);
      await db.insertInto('settings').values({ key: 'dw-after-hits', value: 'd' }).execute();
      expect(syncs).toBe(1);
      const row = await db.selectFrom('rate_limits').select('count').where('key', '=', 'dw-nosync:client').executeTakeFirstOrThrow();
      expect(Number(row.count)).toBe(2);
    } finally {
      proto.sync = realSync;
    }
  });

  it('has nothing to sync when there is no WAL file', async () => {
    const wal = new WalSync(`${t.file}-no-such-wal`);
    await expect(wal.sync()).resolves.toBeUndefined();
    expect(fs.existsSync(`${t.file}-no-such-wal`)).toBe(false);
    await wal.close();
  });
});

describe('background writer thread', () => {
  it('checkpoints the WAL into the database file', async () => {
    await db.insertInto('settings').values({ key: 'dw-checkpoint', value: 'c' }).execute();
    const result = await server.background!.checkpoint();
    expect(result.checkpointed).toBeGreaterThan(0);
  });

  it('comes back after a crash and goes on indexing', async () => {
    const starts = server.background!.starts;
    await server.background!.crashForTest();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (server.background!.starts > starts) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    const report = await db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const { id } = await db
      .insertInto('opinions')
      .values({
        tracking_number: 'DW-CRASH-0001',
        receipt_token: 'dw-crash-receipt-token-0001',
        report_id: report.id,
        section_number: 1,
        body: '再起動のあとも索引に入る意見です。',
        channel: 'web',
        received_at: now,
        due_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await server.background!.indexNow();
    const queued = await db.selectFrom('opinions_search_queue').select('opinion_id').execute();
    expect(queued).toEqual([]);
    const found = await sql<{ rowid: number }>`select rowid from opinions_fts where opinions_fts match '"索引に入る"'`.execute(db);
    expect(found.rows.map((r) => r.rowid)).toEqual([id]);
  });

  it('is started again after a pause, not in a tight loop, when it stops as soon as it starts', async () => {
    // A database in a folder that does not exist: the thread fails at every start.
    const writer = new BackgroundWriter(path.join(os.tmpdir(), `ikenbako-no-such-folder-${process.pid}-${Date.now()}`, 'x.db'));
    const first = performance.now();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (writer.starts >= 2) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    // Started at once, it would have been started again within some tens of milliseconds.
    expect(performance.now() - first).toBeGreaterThanOrEqual(RESTART_AFTER_FAILED_START_MS - 50);
    await writer.close();
    const starts = writer.starts;
    await new Promise((r) => setTimeout(r, RESTART_AFTER_FAILED_START_MS + 200));
    // Closed while waiting to start again (or while starting): nothing starts after close.
    expect(writer.starts).toBe(starts);
  });
});

describe('the WAL under writes that never pause', () => {
  // A reader's snapshot keeps PASSIVE from reaching the WAL's end, as a steady
  // stream of writes does: the WAL could only grow.
  it('is emptied by a TRUNCATE checkpoint once past its limit, and nothing written is lost', async () => {
    const w = await createTestDb({ withNotice: false });
    const walFile = `${w.file}-wal`;
    const limit = 256 * 1024;
    const local = openServerDatabase(w.file, { background: false });
    const background = new BackgroundWriter(w.file, { walLimitBytes: limit, checkpointEveryMs: 3_600_000 });
    const reader = new SQLite(w.file, { readonly: true });
    try {
      reader.exec('begin');
      reader.prepare('select count(*) from settings').get();
      const value = 'x'.repeat(2000);
      for (let i = 0; i < 400; i++) await local.db.insertInto('settings').values({ key: `wal-${i}`, value }).execute();
      expect(fs.statSync(walFile).size).toBeGreaterThan(limit);

      // While the reader holds on, the checkpoint waits its bounded while and gives up.
      const held = await background.checkpoint();
      expect(held.truncated).toBe(false);
      expect(held.busy).toBe(1);
      expect(fs.statSync(walFile).size).toBeGreaterThan(limit);

      // The reader lets go while the next one waits for it.
      const next = background.checkpoint();
      setTimeout(() => reader.exec('commit'), 20);
      const done = await next;
      expect(done.truncated).toBe(true);
      // Emptied, then started over by the thread's own first write.
      expect(fs.statSync(walFile).size).toBeLessThan(64 * 1024);
      const { n } = await local.db.selectFrom('settings').select((eb) => eb.fn.countAll<number>().as('n')).where('key', 'like', 'wal-%').executeTakeFirstOrThrow();
      expect(Number(n)).toBe(400);
      // Writes go on after it.
      await local.db.insertInto('settings').values({ key: 'wal-after', value: 'after' }).execute();
      expect(fs.statSync(walFile).size).toBeLessThan(64 * 1024);
    } finally {
      if (reader.inTransaction) reader.exec('commit');
      reader.close();
      await background.close();
      await local.db.destroy();
      await w.close();
    }
  });
});
