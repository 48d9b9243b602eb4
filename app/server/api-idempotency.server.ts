// The Idempotency-Key header on the API's writes (IETF draft
// "The Idempotency-Key HTTP Header Field"): a retry after a lost answer gets
// the first answer, never a second opinion.
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  hashApiRequest,
  idempotencyFormToken,
  releaseIdempotencyKey,
} from '~/models/api-idempotency.server';
import { ApiProblem } from './api-problem.server';
import type { TokenCall } from './api.server';
import { getDb } from './db.server';
import { log } from './request-log.server';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Runs `write` once per (token, Idempotency-Key): the same key with the same
 * JSON answers the stored result (with `Idempotent-Replayed: true`), with
 * other JSON a 409. `write` gets a form token derived from the key, so an
 * opinion stored just before a crash is found again on the retry. Without the
 * header, `write` simply runs. Only successful answers are kept: a request
 * refused as invalid frees its key for the corrected retry.
 */
export async function idempotent(call: TokenCall, body: unknown, write: (formToken: string | null) => Promise<Response>): Promise<Response> {
  const key = call.request.headers.get('idempotency-key');
  if (key === null) return write(null);
  if (!KEY.test(key)) throw new ApiProblem(400, 'Idempotency-Key は1〜255文字の ASCII の英数字・記号で指定してください(例: UUID)。');

  const db = getDb();
  const tokenId = call.caller.id;
  const path = new URL(call.request.url).pathname;
  const claim = await claimIdempotencyKey(db, tokenId, key, hashApiRequest(call.request.method, path, body));
  call.audit.details = { ...call.audit.details, idempotencyKey: key, idempotency: claim.kind };
  if (claim.kind === 'mismatch') {
    throw new ApiProblem(409, 'この Idempotency-Key は、別の内容のリクエストで使われています。', { type: 'idempotency-key-reused' });
  }
  if (claim.kind === 'in_progress') {
    throw new ApiProblem(409, 'この Idempotency-Key の最初のリクエストをまだ処理しています。', { type: 'idempotency-key-in-use', headers: { 'Retry-After': '1' } });
  }
  if (claim.kind === 'replay') {
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Idempotent-Replayed': 'true' };
    const location = (JSON.parse(claim.body) as { statusUrl?: unknown }).statusUrl;
    if (typeof location === 'string') headers.Location = location;
    return new Response(claim.body, { status: claim.status, headers });
  }

  let response: Response;
  try {
    response = await write(idempotencyFormToken(tokenId, key));
  } catch (error) {
    await releaseIdempotencyKey(db, tokenId, key).catch((e) => log('error', 'idempotency release failed', { error: String(e) }));
    throw error;
  }
  if (response.ok) await completeIdempotencyKey(db, tokenId, key, response.status, await response.clone().text());
  else await releaseIdempotencyKey(db, tokenId, key);
  return response;
}
