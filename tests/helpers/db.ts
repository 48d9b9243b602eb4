import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { importNotice } from '~/models/notices.server';
import { migrateToLatest, openDatabase, openSqliteDatabase, type DB } from '~/server/db.server';
import { createMigratedPostgresDatabase, dropPostgresDatabase, onPostgres } from './postgres';

export const BUNDLED_NOTICE_PATH = path.resolve(__dirname, '../../db/content/xiuzhou-inspection-2023.txt');
export const BUNDLED_SLUG = 'xiuzhou-inspection-2023';

export function tempDir(prefix = 'ikenbako-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export type TestDb = {
  db: DB;
  /** The SQLite connection (SQLite run only: a test that needs it is SQLite-only). */
  sqlite: SQLite.Database;
  /** The SQLite file, or on the PostgreSQL run the database's URL. */
  file: string;
  close: () => Promise<void>;
};

/**
 * A fresh, migrated database for one test file: a SQLite file, or under
 * `npm run test:pg` a PostgreSQL database of its own.
 */
export async function createTestDb(options: { withNotice?: boolean } = {}): Promise<TestDb> {
  let t: TestDb;
  if (onPostgres) {
    const url = await createMigratedPostgresDatabase();
    const { db } = openDatabase(url, { poolMax: 4 });
    t = {
      db,
      get sqlite(): SQLite.Database {
        throw new Error('this test reads SQLite directly: it runs on the SQLite run only');
      },
      file: url,
      close: async () => {
        await db.destroy();
        await dropPostgresDatabase(url);
      },
    };
  } else {
    const file = path.join(tempDir(), 'test.db');
    const { db, sqlite } = openSqliteDatabase(file);
    t = { db, sqlite, file, close: () => db.destroy() };
  }
  await migrateToLatest(t.db);
  if (options.withNotice ?? true) {
    await importNotice(t.db, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG);
  }
  return t;
}
