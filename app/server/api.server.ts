// The intake API's wiring: bearer tokens, scopes, per-token limits, a JSON
// body reader with the form reader's 64 KB cap, and every refusal as RFC 9457
// problem+json (never an HTML page). Each call made with a token is audited.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import type { ApiScope } from '../../db/schema';
import type { FieldProblem } from '~/schemas/api';
import { findApiCaller, recordApiCall, touchApiToken, type ApiCaller } from '~/models/api-tokens.server';
import { MAX_FORM_BYTES } from '~/utils/form.server';
import { checkRateLimit } from '~/utils/rate-limit.server';
import { getEnv } from '~/utils/env.server';
import { getDb } from './db.server';
import { isBusyError } from './db-errors.server';
import { log } from './request-log.server';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** The same cap as a form: an opinion is at most 4,000 characters. */
export const MAX_JSON_BYTES = MAX_FORM_BYTES;
/** The public open-data endpoints, per client address. */
const PUBLIC_RATE_LIMIT_PER_MINUTE = 120;

const TITLES: Record<number, string> = {
  400: 'リクエストの形式が正しくありません',
  401: '認証が必要です',
  403: 'この操作は許可されていません',
  404: '見つかりません',
  405: 'このメソッドは使えません',
  409: '競合しています',
  413: '送信内容が大きすぎます',
  415: '送信形式が正しくありません',
  422: '入力内容に誤りがあります',
  429: 'リクエストが多すぎます',
  500: 'サーバーで問題が発生しました',
  503: 'ただいま混み合っています',
};

/** Problem types with meaning beyond their status; each is described at its URI (api.v1.problems.$type.ts). */
export const PROBLEM_TYPES = {
  'invalid-json': '送信内容が JSON として読み取れません。',
  'validation': '項目の値が規則に合いません。errors に、項目ごとの JSON Pointer と理由があります。',
  'idempotency-key-reused': '同じ Idempotency-Key が、別の内容のリクエストに使われました。キーはリクエストごとに新しく作ってください。',
  'idempotency-key-in-use': '同じ Idempotency-Key のリクエストをまだ処理しています。少し待ってから同じ内容で送り直してください。',
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

export function problemTypeUri(type: ProblemType): string {
  return `${getEnv().PUBLIC_URL}/api/v1/problems/${type}`;
}

/** A refusal, answered as problem+json by the wrappers below. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly options: { type?: ProblemType; errors?: FieldProblem[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
  }
}

export function problemResponse(problem: ApiProblem, instance: string): Response {
  const body = {
    type: problem.options.type ? problemTypeUri(problem.options.type) : 'about:blank',
    title: TITLES[problem.status] ?? 'エラー',
    status: problem.status,
    detail: problem.detail,
    instance,
    ...(problem.options.errors ? { errors: problem.options.errors } : {}),
  };
  const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store', ...problem.options.headers };
  return new Response(JSON.stringify(body), { status: problem.status, headers });
}

/**
 * The 413 body for an /api/ request that the HTTP server's own 64 KB cap
 * refuses before Remix runs (http-server.server.ts, bufferBody).
 */
export function tooLargeProblemBody(instance: string): string {
  return JSON.stringify({ type: 'about:blank', title: TITLES[413], status: 413, detail: `送信内容は${MAX_JSON_BYTES / 1024}KBまでです。`, instance });
}

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

export function methodNotAllowed(allow: string): never {
  throw new ApiProblem(405, `このアドレスで使えるメソッドは ${allow} です。`, { headers: { Allow: allow } });
}

function toProblemResponse(error: unknown, instance: string): Response {
  if (error instanceof ApiProblem) return problemResponse(error, instance);
  if (isBusyError(error)) {
    return problemResponse(new ApiProblem(503, '処理を完了できませんでした。内容は保存されていません。少し時間をおいて送り直してください。', { headers: { 'Retry-After': '5' } }), instance);
  }
  log('error', 'api error', { path: instance, error: error instanceof Error ? error.stack : String(error) });
  return problemResponse(new ApiProblem(500, '申し訳ありません。処理中に問題が発生しました。'), instance);
}

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
  const tooLarge = () => new ApiProblem(413, `送信内容は${MAX_JSON_BYTES / 1024}KBまでです。`, { headers: { Connection: 'close' } });
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
      const limit = checkRateLimit('api-token', String(caller.id), caller.rateLimitPerMinute, 60_000);
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
        const limit = checkRateLimit('api-public', args.context.clientIp ?? 'unknown', PUBLIC_RATE_LIMIT_PER_MINUTE, 60_000);
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
