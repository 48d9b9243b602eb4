// In-memory sliding-window rate limits, per process. One server process owns
// the database, so a shared store would add nothing; a restart forgets counts,
// which errs on the side of letting citizens through.
type Window = number[];

const buckets = new Map<string, Window>();
let calls = 0;

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

function sweep(now: number, maxWindowMs: number) {
  for (const [k, hits] of buckets) {
    if (hits.length === 0 || hits[hits.length - 1] <= now - maxWindowMs) buckets.delete(k);
  }
}

/**
 * Counts one hit for `key` in `bucket` unless `limit` hits already fall within
 * the last `windowMs`; then answers how long until the oldest one expires.
 */
export function checkRateLimit(bucket: string, key: string, limit: number, windowMs: number, now = Date.now()): RateLimitResult {
  const id = `${bucket}\u0000${key}`;
  let hits = buckets.get(id);
  if (!hits) buckets.set(id, (hits = []));
  const from = now - windowMs;
  let drop = 0;
  while (drop < hits.length && hits[drop] <= from) drop++;
  if (drop) hits.splice(0, drop);
  // Keep memory bounded under a flood of distinct keys.
  if (++calls % 1000 === 0 && buckets.size > 10_000) sweep(now, Math.max(windowMs, 24 * 60 * 60 * 1000));
  if (hits.length >= limit) {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((hits[0] + windowMs - now) / 1000)) };
  }
  hits.push(now);
  return { ok: true };
}

/** Gives back the latest hit (e.g. a submission that was only a typo and stored nothing). */
export function refundRateLimit(bucket: string, key: string): void {
  buckets.get(`${bucket}\u0000${key}`)?.pop();
}

