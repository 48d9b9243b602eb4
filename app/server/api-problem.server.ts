// RFC 9457 problem+json: how the intake API says no. Every refusal, a busy
// database and a bug alike are answered this way, never with an HTML page.
import type { FieldProblem } from '~/schemas/api';
import { MAX_FORM_BYTES } from '~/utils/form.server';
import { getEnv } from '~/utils/env.server';
import { isBusyError } from './db-errors.server';
import { log } from './request-log.server';

/** The API's body cap is the form's. */
export const TOO_LARGE_DETAIL = `送信内容は${MAX_FORM_BYTES / 1024}KBまでです。`;
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

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

/** A refusal; the route wrappers in ./api.server answer it as problem+json. */
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
  return JSON.stringify({ type: 'about:blank', title: TITLES[413], status: 413, detail: TOO_LARGE_DETAIL, instance });
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

/** Any error thrown by an API handler, as problem+json (a bug is logged and answered 500). */
export function toProblemResponse(error: unknown, instance: string): Response {
  if (error instanceof ApiProblem) return problemResponse(error, instance);
  if (isBusyError(error)) {
    return problemResponse(new ApiProblem(503, '処理を完了できませんでした。内容は保存されていません。少し時間をおいて送り直してください。', { headers: { 'Retry-After': '5' } }), instance);
  }
  log('error', 'api error', { path: instance, error: error instanceof Error ? error.stack : String(error) });
  return problemResponse(new ApiProblem(500, '申し訳ありません。処理中に問題が発生しました。'), instance);
}
