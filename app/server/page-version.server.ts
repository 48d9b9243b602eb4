// What the cached pages show, as this process knows it (decision 015): the
// content version read from the database at most once a second, and the
// writes of this process that change it, which show at once.
import { bumpContentVersion, getContentVersion, type ContentVersion } from '~/models/content-version.server';
import { getDb, type DB } from './db.server';

/** How often the content version is read (a write by another process shows within this). */
const VERSION_TTL_MS = 1_000;

let versionCache: { value: Promise<ContentVersion>; at: number; resolved?: ContentVersion } | undefined;
/** Bumped by invalidateReportPages: a change made by this process shows at once. */
let generation = 0;

/**
 * The content version, read at most once a second and shared by the requests
 * that ask meanwhile, so a write by another process (the import CLI) shows
 * within a second.
 */
export function contentVersion(): Promise<ContentVersion> {
  const now = Date.now();
  if (versionCache && now - versionCache.at < VERSION_TTL_MS) return versionCache.value;
  const at = generation;
  const value = getContentVersion(getDb()).then((v) => ({ ...v, content: `${v.content}-g${at}` }));
  const entry: NonNullable<typeof versionCache> = { value, at: now };
  versionCache = entry;
  value.then(
    (v) => {
      entry.resolved = v;
    },
    () => {
      if (versionCache === entry) versionCache = undefined;
    },
  );
  return value;
}

/**
 * What the report pages show (a revision, a reply, a period), as this cache
 * reads it (at most once a second): the public results board is kept as
 * long as it stays the same, for at most RESULTS_MAX_AGE_MS.
 */
export function reportContentVersion(): Promise<string> {
  return contentVersion().then((v) => v.content);
}

/** The content version when it has been read within VERSION_TTL_MS (no wait), else undefined. */
export function knownVersion(): ContentVersion | undefined {
  if (versionCache?.resolved && Date.now() - versionCache.at < VERSION_TTL_MS) return versionCache.resolved;
  return undefined;
}

/** The server's database once boot has bound it: writes here bump the shared content version. */
let sharedDb: DB | undefined;

/** Boot binds the cache to the server's database (tests that call models in-process leave it unbound). */
export function bindReportPageCache(db: DB): void {
  sharedDb = db;
}

/**
 * Called after a write that changes what the report page shows: this process
 * shows it at once, and the shared counter makes every other process (another
 * instance on the same database) show it within VERSION_TTL_MS.
 */
export function invalidateReportPages(): void {
  generation++;
  versionCache = undefined;
  if (sharedDb) bumpContentVersion(sharedDb).catch((error) => console.error('content version bump failed', error));
}
