import fs from 'node:fs';
import path from 'node:path';
import { countReports, importNotice } from '~/models/notices.server';
import { ensureInitialAdmin } from '~/models/users.server';
import { prepareClientHashKey } from './client-hash.server';
import { closeDb, getDb, migrateToLatest } from './db.server';
import { getEnv } from '~/utils/env.server';
import { startHousekeeping } from './housekeeping.server';
import { log } from './request-log.server';
import { getSessionSecret } from './session.server';
import { startViewFlusher } from './view-counter.server';
import { startOutboxWorker } from '~/mail/outbox.server';
import { startRetentionTimer } from '~/models/retention.server';
import { startOfficeMailTimer } from '~/mail/reminders.server';

const BUNDLED_NOTICE = { file: 'db/content/xiuzhou-inspection-2023.txt', slug: 'xiuzhou-inspection-2023' };

const stoppers: Array<() => Promise<void>> = [];

/** Everything the server needs before it listens: schema, content, workers. */
export async function bootApp(): Promise<void> {
  getEnv();
  const db = getDb();
  const applied = await migrateToLatest(db);
  if (applied.length) log('info', 'migrated', { migrations: applied });
  await prepareClientHashKey(db);
  // Made (or read) now: a secret generated on first use could not be written
  // once the server runs as a user without write access to data/.
  getSessionSecret();

  if ((await countReports(db)) === 0) {
    const result = await importNotice(db, fs.readFileSync(path.resolve(BUNDLED_NOTICE.file)), BUNDLED_NOTICE.slug);
    log('info', 'imported bundled notice', { slug: BUNDLED_NOTICE.slug, ...result });
  }

  // First start only: nobody could sign in otherwise. The password is shown this once.
  const initialAdmin = await ensureInitialAdmin(db);
  if (initialAdmin) {
    process.stdout.write(
      `\n最初の管理者アカウントを作成しました / Initial admin account created (shown only once):\n` +
        `  メールアドレス / Email:    ${initialAdmin.email}\n` +
        `  パスワード / Password:     ${initialAdmin.password}\n` +
        `  サインイン / Sign in at:   ${getEnv().PUBLIC_URL}/staff/login\n\n`,
    );
  }

  stoppers.push(startViewFlusher(db));
  stoppers.push(startOutboxWorker(db));
  stoppers.push(startHousekeeping(db));
  // Personal data of opinions settled longer than RETENTION_MONTHS: removed now and daily.
  stoppers.push(startRetentionTimer(db, getEnv().RETENTION_MONTHS));
  // The daily digest, deadline reminders and escalations (claimed in the database: any number of processes may run this).
  stoppers.push(startOfficeMailTimer(db));
}

/** Stops background work (flushing what it holds) and closes the database. */
export async function shutdownApp(): Promise<void> {
  while (stoppers.length) {
    const stop = stoppers.pop()!;
    try {
      await stop();
    } catch (error) {
      log('error', 'shutdown step failed', { error: String(error) });
    }
  }
  await closeDb();
}
