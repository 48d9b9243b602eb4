// npm run db:backup -- <file> — a consistent online backup (SQLite's backup API),
// safe while the server is running and writing.
import fs from 'node:fs';
import path from 'node:path';
import { openSqlite } from '../app/server/db.server';
import { getEnv } from '../app/utils/env.server';
import { parseArgs, runCli, UsageError } from './cli';

await runCli(async () => {
  const { positional } = parseArgs(process.argv.slice(2));
  const target = positional[0];
  if (!target) throw new UsageError('Usage: npm run db:backup -- <file>  (バックアップ先のファイルを指定してください)');
  const { DATABASE_PATH } = getEnv();
  if (!fs.existsSync(DATABASE_PATH)) throw new UsageError(`No database at ${DATABASE_PATH} (データベースが見つかりません)`);
  if (path.resolve(target) === path.resolve(DATABASE_PATH)) throw new UsageError('The backup file must differ from DATABASE_PATH');
  // A backup holds everything the database does: owner-only, like data/.
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true, mode: 0o700 });
  const sqlite = openSqlite(DATABASE_PATH);
  try {
    fs.closeSync(fs.openSync(target, 'a', 0o600));
    fs.chmodSync(target, 0o600);
    await sqlite.backup(target);
    const check = openSqlite(target);
    const ok = check.pragma('integrity_check', { simple: true });
    check.close();
    if (ok !== 'ok') throw new Error(`Backup failed its integrity check: ${String(ok)}`);
    console.log(`Backed up ${DATABASE_PATH} → ${target} (${fs.statSync(target).size} bytes, integrity ok)`);
  } finally {
    sqlite.close();
  }
});
