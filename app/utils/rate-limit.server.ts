// In-memory sliding-window rate limits, per process. A restart forgets counts,
// which errs on the side of letting citizens through.
//
// Memory is bounded two ways, so that a flood of distinct keys (spoofed
// addresses, a botnet) cannot grow the process without limit: a key's hits
// older than its window are dropped whenever it is touched, and the table
// keeps at most MAX_KEYS keys, evicting the least recently used. An evicted
// key has not been seen for longer than every other key; forgetting it lets
// that one client through early, never blocks anyone wrongly.
type Bucket = { hits: number[]; windowMs: number };

export const MAX_KEYS = 50_000;

// A Map iterates in insertion order: re-inserting a key on every touch keeps
// the least recently used key first.
const buckets = new Map<string, Bucket>();

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

// Evicting one key at a time from the front is quadratic in V8 (each
// iteration skips the deleted slots before it); a tenth at a time is not.
function evictOldest(count: number): void {
  for (const id of buckets.keys()) {
    if (count-- <= 0) break;
    buckets.delete(id);
  }
}

function touch(id: string, windowMs: number, now: number): Bucket {
  let bucket = buckets.get(id);
  if (bucket) buckets.delete(id);
  else bucket = { hits: [], windowMs };
  bucket.windowMs = windowMs;
  const from = now - windowMs;
  let drop = 0;
  while (drop < bucket.hits.length && bucket.hits[drop] <= from) drop++;
  if (drop) bucket.hits.splice(0, drop);
  buckets.set(id, bucket);
  if (buckets.size > MAX_KEYS) evictOldest(buckets.size - MAX_KEYS + MAX_KEYS / 10);
  return bucket;
}

/**
 * Counts one hit for `key` in `bucket` unless `limit` hits already fall within
 * the last `windowMs`; then answers how long until the oldest one expires.
 */
export function checkRateLimit(bucket: string, key: string, limit: number, windowMs: number, now = Date.now()): RateLimitResult {
  const { hits } = touch(`${bucket}\u0000${key}`, windowMs, now);
  if (hits.length >= limit) {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((hits[0] + windowMs - now) / 1000)) };
  }
  hits.push(now);
  return { ok: true };
}

/** Gives back the latest hit (e.g. a submission that was only a typo and stored nothing). */
export function refundRateLimit(bucket: string, key: string): void {
  buckets.get(`${bucket}\u0000${key}`)?.hits.pop();
}

/** How many keys the table holds now (for tests and /healthz). */
export function rateLimitKeyCount(): number {
  return buckets.size;
}
