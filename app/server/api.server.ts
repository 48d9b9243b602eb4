// The intake API's wiring: bearer tokens, scopes, per-token limits and a JSON
// body reader with the form reader's 64 KB cap; refusals are problem+json
// (./api-problem.server). Each call made with a token is audited.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import type { ApiScope } from '../../db/schema';
import { findApiCaller, recordApiCall, touchApiToken, type ApiCaller } from '~/models/api-tokens.server';
import { MAX_FORM_BYTES } from '~/utils/form.server';
import { checkRateLimit } from '~/utils/rate-limit.server';
import { ApiProblem, TOO_LARGE_DETAIL, toProblemResponse } from './api-problem.server';
import { getDb } from './db.server';
import { log } from './request-log.server';

/** The same cap as a form: an opinion is at most 4,000 characters. */
export const MAX_JSON_BYTES = MAX_FORM_BYTES;
/** The public open-data endpoints, per client address. */
const PUBLIC_RATE_LIMIT_PER_MINUTE = 120;

/**
 * The request's JSON body. Throws ApiProblem: 415 for another media type,
 * 413 over 64 KB, 400 for bytes that are not UTF-8 JSON.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const [mediaType, ...parameters] = (request.headers.get('content-type') ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if ((mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) || (charset && charset !== 'utf-8')) {
    throw new ApiProblem(415, '本文は JSON(Content-Type: application/json、UTF-8)で送ってください。', { headers: { 'Accept-Post': 'application/json' } });
  }
  const tooLarge = () => new ApiProblem(413, TOO_LARGE_DETAIL, { headers: { Connection: 'close' } });
  if (Number(request.headers.get('content-length') ?? '0') > MAX_JSON_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > MAX_JSON_BYTES) {
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    throw new ApiProblem(400, '本文を JSON として読み取れませんでした(UTF-8 の JSON で送ってください)。', { type: 'invalid-json' });
  }
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

async function authenticate(request: Request): Promise<ApiCaller> {
  const match = BEARER.exec(request.headers.get('authorization') ?? '');
  const caller = match ? await findApiCaller(getDb(), match[1]) : null;
  if (caller) return caller;
  throw new ApiProblem(
    401,
    match ? 'このトークンは使えません(誤り、または失効済み)。' : 'Authorization: Bearer <トークン> ヘッダーを付けてください。',
    { headers: { 'WWW-Authenticate': match ? 'Bearer realm="ikenbako", error="invalid_token"' : 'Bearer realm="ikenbako"' } },
  );
}

/** A write token may also read (an integration checks what it sent); a read token only reads. */
function allows(granted: ApiScope, needed: ApiScope): boolean {
  return granted === 'write' || needed === 'read';
}

type RouteArgs = LoaderFunctionArgs | ActionFunctionArgs;

/** What a handler adds to its call's audit row. */
export type ApiAuditNote = { entityType?: string; entityId?: string | number | null; details?: Record<string, unknown> };

export type TokenCall = RouteArgs & { caller: ApiCaller; audit: ApiAuditNote };

/**
 * A loader or action for token holders: authenticate (401), the token's own
 * limit per minute (429), scope (403), then the handler. Every call that
 * presented a valid token is audited with its outcome, except those refused
 * by the limit (a runaway client would otherwise flood the log).
 */
export function tokenRoute(operation: { action: string; scope: ApiScope }, handler: (call: TokenCall) => Promise<Response>) {
  return async (args: RouteArgs): Promise<Response> => {
    const { request } = args;
    const path = new URL(request.url).pathname;
    const db = getDb();
    const audit: ApiAuditNote = {};
    let caller: ApiCaller | null = null;
    let audited = false;
    let response: Response;
    try {
      caller = await authenticate(request);
      const limit = await checkRateLimit(getDb(), 'api-token', String(caller.id), caller.rateLimitPerMinute, 60_000);
      if (!limit.ok) {
        throw new ApiProblem(429, `このトークンで送れるのは1分間に${caller.rateLimitPerMinute}回までです。${limit.retryAfterSeconds}秒後に送り直してください。`, {
          headers: { 'Retry-After': String(limit.retryAfterSeconds) },
        });
      }
      audited = true;
      if (!allows(caller.scope, operation.scope)) {
        throw new ApiProblem(403, `このトークンの権限(${caller.scope})では、この操作(${operation.scope})はできません。`);
      }
      await touchApiToken(db, caller);
      response = await handler({ ...args, caller, audit });
    } catch (error) {
      response = toProblemResponse(error, path);
    }
    if (caller && audited) {
      try {
        await recordApiCall(db, caller, { action: operation.action, method: request.method, path, status: response.status, ...audit });
      } catch (error) {
        log('error', 'api audit failed', { path, error: String(error) });
      }
    }
    return response;
  };
}

/** A loader or action anyone may call, limited per client address. */
export function publicRoute(handler: (args: RouteArgs) => Promise<Response>, options: { rateLimited?: boolean } = {}) {
  return async (args: RouteArgs): Promise<Response> => {
    const path = new URL(args.request.url).pathname;
    try {
      if (options.rateLimited) {
        const limit = await checkRateLimit(getDb(), 'api-public', args.context.clientIp ?? 'unknown', PUBLIC_RATE_LIMIT_PER_MINUTE, 60_000);
        if (!limit.ok) {
          throw new ApiProblem(429, `1分間に${PUBLIC_RATE_LIMIT_PER_MINUTE}回までです。${limit.retryAfterSeconds}秒後に送り直してください。`, {
            headers: { 'Retry-After': String(limit.retryAfterSeconds) },
          });
        }
      }
      return await handler(args);
    } catch (error) {
      return toProblemResponse(error, path);
    }
  };
}
