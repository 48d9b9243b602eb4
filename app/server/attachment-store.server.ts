// The attachment files on disk: UPLOAD_DIR/<2 hex>/<sha256>, named by their
// content so the same file sent twice is stored once. Owner-only (0700
// folders, 0600 files). A file is written to UPLOAD_DIR/tmp, synced, then
// renamed into place, so a stored name never holds half a file. Files are
// written before the database commit that refers to them: a crash in between
// leaves an orphan (a file no row names), never a row without its file, and
// sweepOrphans removes such orphans.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { getEnv } from '~/utils/env.server';

const SHA256 = /^[0-9a-f]{64}$/;

export function uploadRoot(): string {
  return path.resolve(getEnv().UPLOAD_DIR);
}

function mkdirPrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** The folder for files still being received (made owner-only if missing). */
export function uploadTempDir(root = uploadRoot()): string {
  const dir = path.join(root, 'tmp');
  mkdirPrivate(dir);
  return dir;
}

/** A fresh name in the temp folder. */
export function newTempPath(root = uploadRoot()): string {
  return path.join(uploadTempDir(root), `${Date.now()}-${crypto.randomBytes(8).toString('hex')}`);
}

export function storedPath(sha256: string, root = uploadRoot()): string {
  if (!SHA256.test(sha256)) throw new Error('not a SHA-256 hex digest');
  return path.join(root, sha256.slice(0, 2), sha256);
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Moves a synced temp file to its content address. When the content is
 * already stored the temp file is dropped and the stored one touched, so a
 * sweep running meanwhile sees it as recent and leaves it for our commit.
 */
function placeFile(tempFile: string, sha256: string, root: string): void {
  const target = storedPath(sha256, root);
  if (fs.existsSync(target)) {
    fs.rmSync(tempFile, { force: true });
    const now = new Date();
    fs.utimesSync(target, now, now);
    return;
  }
  mkdirPrivate(path.dirname(target));
  fs.chmodSync(tempFile, 0o600);
  fs.renameSync(tempFile, target);
  syncDir(path.dirname(target));
}

/** Stores a file from the temp folder (a PDF as received, an image re-encoded); the temp file is moved or removed. */
export async function storeTempFile(tempFile: string, root = uploadRoot()): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(tempFile), hash);
  const sha256 = hash.digest('hex');
  const fd = fs.openSync(tempFile, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  placeFile(tempFile, sha256, root);
  return sha256;
}

/** Removes stored files (after the rows naming them are gone); a missing file is fine. */
export function removeStoredFiles(hashes: Iterable<string>, root = uploadRoot()): void {
  for (const sha256 of hashes) fs.rmSync(storedPath(sha256, root), { force: true });
}

export type SweepResult = { orphans: number; temps: number };

/**
 * Deletes files no row refers to, and temp files left by an interrupted
 * upload. Only files older than `graceMs` go: an upload in progress writes its
 * files before the commit that names them (at boot nothing is in progress and
 * the grace is 0).
 */
export async function sweepOrphans(
  referenced: (hashes: string[]) => Promise<Set<string>>,
  options: { graceMs: number; root?: string; now?: number },
): Promise<SweepResult> {
  const root = options.root ?? uploadRoot();
  const cutoff = (options.now ?? Date.now()) - options.graceMs;
  const old = (file: string) => {
    try {
      return fs.statSync(file).mtimeMs <= cutoff;
    } catch {
      return false;
    }
  };
  if (!fs.existsSync(root)) return { orphans: 0, temps: 0 };
  let temps = 0;
  const tmp = path.join(root, 'tmp');
  if (fs.existsSync(tmp)) {
    for (const name of fs.readdirSync(tmp)) {
      const file = path.join(tmp, name);
      if (old(file)) {
        fs.rmSync(file, { force: true });
        temps++;
      }
    }
  }
  let orphans = 0;
  for (const shard of fs.readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    const candidates = fs.readdirSync(path.join(root, shard)).filter((name) => SHA256.test(name) && old(path.join(root, shard, name)));
    for (let i = 0; i < candidates.length; i += 500) {
      const batch = candidates.slice(i, i + 500);
      const keep = await referenced(batch);
      for (const sha256 of batch) {
        // Touched since (a new upload of the same content): it is about to be named.
        if (keep.has(sha256) || !old(path.join(root, shard, sha256))) continue;
        fs.rmSync(path.join(root, shard, sha256), { force: true });
        orphans++;
      }
    }
  }
  return { orphans, temps };
}
