import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importNotice } from '~/models/notices.server';
import { migrateToLatest, openDatabase, type DB } from '~/server/db.server';

export const BUNDLED_NOTICE_PATH = path.resolve(__dirname, '../../db/content/xiuzhou-inspection-2023.txt');
export const BUNDLED_SLUG = 'xiuzhou-inspection-2023';

export function tempDir(prefix = 'ikenbako-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh, migrated SQLite database file for one test file. */
export async function createTestDb(options: { withNotice?: boolean } = {}) {
  const file = path.join(tempDir(), 'test.db');
  const { db, sqlite } = openDatabase(file);
  await migrateToLatest(db);
  if (options.withNotice ?? true) {
    await importNotice(db, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG);
  }
  return {
    db: db as DB,
    sqlite,
    file,
    close: () => db.destroy(),
  };
}
