// npm run db:backup -- <file> [--with-uploads] — a consistent online backup
// (SQLite's backup API), safe while the server is running and writing. With
// --with-uploads the attachment files are copied too, into <file>.uploads/,
// after the database: files are stored before the commit that names them, so
// every row in the copy has its file (checked, and any gap named).
import fs from 'node:fs';
import path from 'node:path';
import { openSqlite } from '../app/server/db.server';
import { getEnv } from '../app/utils/env.server';
import { parseArgs, runCli, UsageError } from './cli';

await runCli(async () => {
  const { positional, options } = parseArgs(process.argv.slice(2));
  const withUploads = options.get('with-uploads');
  const target = positional[0] ?? (typeof withUploads === 'string' ? withUploads : undefined);
  if (!target) throw new UsageError('Usage: npm run db:backup -- <file> [--with-uploads]  (バックアップ先のファイルを指定してください)');
  const { DATABASE_PATH, DATABASE_URL, UPLOAD_DIR } = getEnv();
  if (DATABASE_URL) throw new UsageError('DATABASE_URL is set: back up PostgreSQL with pg_dump (see README, Operations); db:backup copies the SQLite file.');
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
  if (withUploads) backUpUploads(target, UPLOAD_DIR);
});

/** Copies UPLOAD_DIR's stored files (not its temp folder) beside the backup and checks the copy against it. */
function backUpUploads(target: string, uploadDir: string): void {
  const into = `${target}.uploads`;
  fs.mkdirSync(into, { recursive: true, mode: 0o700 });
  let copied = 0;
  if (fs.existsSync(uploadDir)) {
    for (const shard of fs.readdirSync(uploadDir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      fs.mkdirSync(path.join(into, shard), { recursive: true, mode: 0o700 });
      for (const name of fs.readdirSync(path.join(uploadDir, shard))) {
        const to = path.join(into, shard, name);
        if (fs.existsSync(to)) continue;
        fs.copyFileSync(path.join(uploadDir, shard, name), to);
        fs.chmodSync(to, 0o600);
        copied++;
      }
    }
  }
  const copy = openSqlite(target);
  try {
    const rows = copy.prepare('select sha256, thumbnail_sha256 from attachments').all() as Array<{ sha256: string; thumbnail_sha256: string | null }>;
    const missing = rows
      .flatMap((r) => [r.sha256, r.thumbnail_sha256])
      .filter((h): h is string => h !== null && !fs.existsSync(path.join(into, h.slice(0, 2), h)));
    if (missing.length) throw new Error(`The uploads copy lacks ${missing.length} file(s) the backup names (first: ${missing[0]})`);
    console.log(`Copied ${copied} new attachment file(s) ${uploadDir} → ${into} (every file the backup names is there)`);
  } finally {
    copy.close();
  }
}
