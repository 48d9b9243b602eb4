// The errors a database answers when it refuses a write, as each engine
// really raises them: a duplicate in a UNIQUE column (SQLITE_CONSTRAINT_UNIQUE
// or PostgreSQL's 23505), and a write it could not take now (SQLITE_BUSY, or a
// deadlock PostgreSQL broke, 40P01), the latter answered 503 "try again".
import type { ServerBuild } from '@remix-run/node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '~/server/db.server';
import { isBusyError, isUniqueViolation, withBusyAs503 } from '~/server/db-errors.server';
import { createTestDb, type TestDb } from '../helpers/db';
import { onPostgres } from '../helpers/postgres';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t?.close());

function opinionRow(trackingNumber: string, receiptToken: string) {
  const now = new Date().toISOString();
  return {
    tracking_number: trackingNumber,
    receipt_token: receiptToken,
    report_id: 1,
    section_number: 3,
    body: '一意制約の確認に使う意見です。',
    channel: 'web' as const,
    received_at: now,
    due_at: now,
    created_at: now,
    updated_at: now,
  };
}

/** A real "cannot write now" from the engine under test. */
async function busyError(): Promise<unknown> {
  if (onPostgres) {
    // Two sessions each hold a row the other wants: PostgreSQL aborts one.
    const [a, b] = [new pg.Client({ connectionString: t.file }), new pg.Client({ connectionString: t.file })];
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('create table deadlock_probe (id integer primary key)');
      await a.query('insert into deadlock_probe values (1), (2)');
      await Promise.all([a.query('begin'), b.query('begin')]);
      await a.query('update deadlock_probe set id = id where id = 1');
      await b.query('update deadlock_probe set id = id where id = 2');
      const outcomes = await Promise.allSettled([
        a.query('update deadlock_probe set id = id where id = 2'),
        b.query('update deadlock_probe set id = id where id = 1'),
      ]);
      await Promise.all([a.query('rollback'), b.query('rollback')]);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused).toHaveLength(1);
      return refused[0].reason;
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  }
  // Another connection holds the write lock and this one will not wait.
  const holder = openSqlite(t.file);
  const other = openSqlite(t.file);
  other.pragma('busy_timeout = 0');
  holder.exec('BEGIN IMMEDIATE');
  try {
    other.exec('BEGIN IMMEDIATE');
    return null;
  } catch (error) {
    return error;
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
    other.close();
  }
}

describe('database errors', () => {
  it('recognises a duplicate tracking number as a unique violation of that column, and not as busy', async () => {
    await t.db.insertInto('opinions').values(opinionRow('XZ-2026-DUPL-0001', 'unique-check-receipt-token-one')).execute();
    const error = await t.db
      .insertInto('opinions')
      .values(opinionRow('XZ-2026-DUPL-0001', 'unique-check-receipt-token-two'))
      .execute()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).not.toBeNull();
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'tracking_number')).toBe(true);
    expect(isUniqueViolation(error, 'receipt_token')).toBe(false);
    expect(isUniqueViolation(new Error('wrapped', { cause: error }), 'tracking_number')).toBe(true);
    expect(isBusyError(error)).toBe(false);
    expect(isUniqueViolation(new Error('no code'))).toBe(false);
  });

  it('recognises the engine refusing a write for now as busy, and answers it with 503 in a loader or action', async () => {
    const error = await busyError();
    expect(error).not.toBeNull();
    expect(isBusyError(error)).toBe(true);
    expect(isUniqueViolation(error)).toBe(false);

    const build = withBusyAs503({
      routes: { a: { id: 'a', module: { action: async () => Promise.reject(error) } } },
    } as unknown as ServerBuild);
    const thrown = await (build.routes.a.module.action as () => Promise<unknown>)().catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(503);
    expect((thrown as Response).headers.get('retry-after')).toBe('5');
  });

  it('counts a PostgreSQL serialization failure as busy too, but no other code', () => {
    expect(isBusyError(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isBusyError(null)).toBe(false);
  });
});
