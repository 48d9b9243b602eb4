// Rate limits shared by every app process: the counts live in the database
// (models/rate-limits), so two instances behind one proxy limit a client
// together, and a restart forgets nothing. A key's window starts at its first
// hit; `limit` hits are allowed within it, and a refused request is told when
// the window ends. Housekeeping deletes ended windows, so the table holds only
// the keys seen within their window.
import type { DB } from '~/server/db.server';
import { addRateLimitHit, removeRateLimitHit } from '~/models/rate-limits.server';

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

// Bucket names are ours and hold no colon; PostgreSQL text cannot hold NUL.
const keyOf = (bucket: string, key: string) => `${bucket}:${key}`;

/**
 * Counts one hit for `key` in `bucket` unless `limit` hits already fall within
 * its window; then answers how long until the window ends.
 */
export async function checkRateLimit(
  db: DB,
  bucket: string,
  key: string,
  limit: number,
  windowMs: number,
  now = Date.now(),
): Promise<RateLimitResult> {
  const { count, resetsAt } = await addRateLimitHit(db, keyOf(bucket, key), windowMs, new Date(now));
  if (count <= limit) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(resetsAt) - now) / 1000)) };
}

/** Gives back the latest hit (e.g. a submission that was only a typo and stored nothing). */
export async function refundRateLimit(db: DB, bucket: string, key: string): Promise<void> {
  await removeRateLimitHit(db, keyOf(bucket, key));
}
