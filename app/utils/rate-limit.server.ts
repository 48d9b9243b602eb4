// Rate limits shared by every app process: the counts live in the database
// (models/rate-limits), so two instances behind one proxy limit a client
// together, and a restart forgets nothing. A key's window starts at its first
// hit; `limit` hits are allowed within it, and a refused request is told when
// the window ends. Housekeeping deletes ended windows, so the table holds only
// the keys seen within their window.
import type { DB } from '~/server/db.server';
import { addRateLimitHit, readRateLimitHits } from '~/models/rate-limits.server';

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A request refused because its key's window is full (thrown where the hit is counted inside a larger write). */
export class RateLimitExceeded extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limit reached; retry after ${retryAfterSeconds} s`);
    this.name = 'RateLimitExceeded';
  }
}

// Bucket names are ours and hold no colon; PostgreSQL text cannot hold NUL.
const keyOf = (bucket: string, key: string) => `${bucket}:${key}`;

const refusal = (resetsAt: string, now: number): RateLimitResult => ({
  ok: false,
  retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(resetsAt) - now) / 1000)),
});

/**
 * Counts one hit for `key` in `bucket` unless `limit` hits already fall within
 * its window; then answers how long until the window ends. Inside a
 * transaction (`db` a Kysely transaction) the hit is that transaction's: a
 * rollback takes it back.
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
  return count <= limit ? { ok: true } : refusal(resetsAt, now);
}

/**
 * Whether one more hit would be allowed now, counting nothing (a read): a
 * request that is refused anyway costs no write. Two requests at once may both
 * be told yes; the hit counted later (checkRateLimit) decides.
 */
export async function peekRateLimit(db: DB, bucket: string, key: string, limit: number, now = Date.now()): Promise<RateLimitResult> {
  const hits = await readRateLimitHits(db, keyOf(bucket, key), new Date(now));
  return !hits || hits.count < limit ? { ok: true } : refusal(hits.resetsAt, now);
}
