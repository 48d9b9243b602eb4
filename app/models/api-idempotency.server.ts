// Idempotency-Key for the API's writes: the same key with the same request
// answers the first result again; the same key with another request is a
// conflict. Keys belong to a token and are kept for a day.
import { createHash } from 'node:crypto';
import type { DB } from '~/server/db.server';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A claim older than this with no result belongs to a request that died
 * mid-way (a crash, a kill): a retry may take it over. The opinion itself is
 * protected twice, see `idempotencyFormToken`.
 */
const STALE_CLAIM_MS = 60_000;

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The same JSON (whatever its key order and spacing) to the same path hashes the same. */
export function hashApiRequest(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${JSON.stringify(canonical(body))}`).digest('hex');
}

/**
 * A form token for createOpinion derived from the key: if the process dies
 * after the opinion commits but before the key records its result, the retry
 * finds the same opinion instead of storing a second one.
 */
export function idempotencyFormToken(tokenId: number, key: string): string {
  return 'api-' + createHash('sha256').update(`${tokenId}\n${key}`).digest('base64url').slice(0, 40);
}

/** Claims `key` for this request, or tells what an earlier request with it did. */
export async function claimIdempotencyKey(db: DB, tokenId: number, key: string, requestHash: string, now = new Date()): Promise<IdempotencyClaim> {
  return db.transaction().execute(async (trx) => {
    const nowIso = now.toISOString();
    await trx.deleteFrom('api_idempotency_keys').where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString()).execute();
    const row = await trx
      .selectFrom('api_idempotency_keys')
      .select(['request_hash', 'response_status', 'response_body', 'created_at'])
      .where('token_id', '=', tokenId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) {
      await trx.insertInto('api_idempotency_keys').values({ token_id: tokenId, key, request_hash: requestHash, response_status: null, response_body: null, created_at: nowIso }).execute();
      return { kind: 'new' };
    }
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.response_status !== null) return { kind: 'replay', status: row.response_status, body: row.response_body ?? '' };
    if (now.getTime() - Date.parse(row.created_at) < STALE_CLAIM_MS) return { kind: 'in_progress' };
    await trx.updateTable('api_idempotency_keys').set({ created_at: nowIso }).where('token_id', '=', tokenId).where('key', '=', key).execute();
    return { kind: 'new' };
  });
}

/** Stores the answer that later requests with the key replay. */
export async function completeIdempotencyKey(db: DB, tokenId: number, key: string, status: number, body: string): Promise<void> {
  await db
    .updateTable('api_idempotency_keys')
    .set({ response_status: status, response_body: body })
    .where('token_id', '=', tokenId)
    .where('key', '=', key)
    .execute();
}

/** Frees the key of a request that changed nothing (invalid input), so a corrected retry may use it. */
export async function releaseIdempotencyKey(db: DB, tokenId: number, key: string): Promise<void> {
  await db
    .deleteFrom('api_idempotency_keys')
    .where('token_id', '=', tokenId)
    .where('key', '=', key)
    .where('response_status', 'is', null)
    .execute();
}
