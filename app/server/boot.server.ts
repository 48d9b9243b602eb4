import fs from 'node:fs';
import path from 'node:path';
import { countReports, importNotice } from '~/models/notices.server';
import { ensureInitialAdmin, INITIAL_ADMIN_EMAIL } from '~/models/users.server';
import { prepareClientHashKey } from './client-hash.server';
import { closeDb, getDb, migrateToLatest } from './db.server';
import { getEnv } from '~/utils/env.server';
import { startHousekeeping } from './housekeeping.server';
import { bindReportPageCache } from './page-version.server';
import { log } from './request-log.server';
import { prepareSessionSecret } from './session.server';
import { startViewFlusher } from './view-counter.server';
import { startOutboxWorker } from '~/mail/outbox-worker.server';
import { startRetentionTimer } from '~/models/retention.server';
import { startOfficeMailTimer } from '~/mail/reminders.server';
import { sweepAttachmentFiles } from '~/models/attachments.server';
import { uploadTempDir } from './attachment-store.server';
import { stopImageChildren } from './attachment-content.server';

const BUNDLED_NOTICE = { file: 'db/content/xiuzhou-inspection-2023.txt', slug: 'xiuzhou-inspection-2023' };

const stoppers: Array<() => Promise<void>> = [];

/** data/initial-admin-password: beside the database file. */
export function initialAdminPasswordFile(): string {
  return path.join(path.dirname(path.resolve(getEnv().DATABASE_PATH)), 'initial-admin-password');
}

/** Called when someone sets their own password: the first admin's generated one is gone. */
export function removeInitialAdminPasswordFile(email: string): void {
  if (email !== INITIAL_ADMIN_EMAIL) return;
  fs.rmSync(initialAdminPasswordFile(), { force: true });
}

/**
 * Everything the server needs before it listens: schema, content, workers.
 * `outbox: false` leaves the outbox to the first opinion thread (decision 018).
 */
export async function bootApp(options: { outbox?: boolean } = {}): Promise<void> {
  getEnv();
  const db = getDb();
  const applied = await migrateToLatest(db);
  if (applied.length) log('info', 'migrated', { migrations: applied });
  await prepareClientHashKey(db);
  // Made (or read) now: a secret generated on first use could not be written
  // once the server runs as a user without write access to data/, and on
  // PostgreSQL every instance reads the one stored in the database.
  await prepareSessionSecret(db);

  // Two instances starting together on one empty database both get here: the
  // import and the first admin are written in serialized transactions that
  // look first, so the second finds the notice unchanged and the admin there.
  if ((await countReports(db)) === 0) {
    const result = await importNotice(db, fs.readFileSync(path.resolve(BUNDLED_NOTICE.file)), BUNDLED_NOTICE.slug);
    log('info', 'imported bundled notice', { slug: BUNDLED_NOTICE.slug, ...result });
  }

  // First start only: nobody could sign in otherwise. The password goes to an
  // owner-only file beside the database, never into the log; it must be
  // changed at the first sign-in, and the file is deleted then.
  const initialAdmin = await ensureInitialAdmin(db);
  if (initialAdmin) {
    const file = initialAdminPasswordFile();
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, `${initialAdmin.email}\n${initialAdmin.password}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    log('info', 'initial admin created', { email: initialAdmin.email, passwordFile: file, signIn: `${getEnv().PUBLIC_URL}/staff/login` });
    process.stdout.write(
      `\n最初の管理者アカウントを作成しました / Initial admin account created:\n` +
        `  メールアドレス / Email:    ${initialAdmin.email}\n` +
        `  パスワードの保存先 / Password file: ${file}\n` +
        `  サインイン / Sign in at:   ${getEnv().PUBLIC_URL}/staff/login\n\n`,
    );
  }

  // Files an interrupted upload wrote before its commit (a crash, a kill) are
  // orphans: nothing is uploading yet, so all of them go now. The folder is
  // made owner-only before anything is written to it.
  uploadTempDir();
  const swept = await sweepAttachmentFiles(db, 0);
  if (swept.orphans || swept.temps) log('info', 'swept orphan attachment files', swept);

  bindReportPageCache(db);
  // The image child, if one runs, ends with the server (decision 006).
  stoppers.push(stopImageChildren);
  stoppers.push(startViewFlusher(db));
  if (options.outbox !== false) stoppers.push(startOutboxWorker(db));
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
