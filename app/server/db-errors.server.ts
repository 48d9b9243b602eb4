import type { ServerBuild } from '@remix-run/node';

// SQLite answers SQLITE_BUSY (and its extended codes, e.g. SQLITE_BUSY_SNAPSHOT
// when a deferred transaction's snapshot went stale while it waited) when
// another connection held the write lock past busy_timeout. PostgreSQL's
// counterparts are a serialization failure (40001) and a deadlock it broke by
// aborting us (40P01). Either is a temporary overload, not a bug: the request
// should answer 503 with a message asking the person to try again, never 500.

const PG_RETRYABLE = new Set(['40001', '40P01']);

/** The error and its causes (a driver error may be wrapped). */
function* errorChain(error: unknown): Generator<{ code?: unknown; message?: unknown; detail?: unknown; constraint?: unknown }> {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    yield e as { code?: unknown };
  }
}

/** Whether `error` (or its cause) is a busy database: SQLite's "locked/busy", PostgreSQL's serialization failure or deadlock. */
export function isBusyError(error: unknown): boolean {
  for (const { code } of errorChain(error)) {
    if (typeof code !== 'string') continue;
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') return true;
    if (PG_RETRYABLE.has(code)) return true;
  }
  return false;
}

/**
 * Whether `error` is the database refusing a duplicate in a UNIQUE column
 * (optionally a given one): SQLITE_CONSTRAINT_UNIQUE names the column in its
 * message ("UNIQUE constraint failed: opinions.tracking_number"), PostgreSQL's
 * 23505 in its detail ("Key (tracking_number)=(…) already exists.").
 */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  for (const e of errorChain(error)) {
    if (e.code === 'SQLITE_CONSTRAINT_UNIQUE') return column ? String(e.message ?? '').includes(column) : true;
    if (e.code === '23505') {
      if (!column) return true;
      return String(e.detail ?? '').includes(`(${column})`) || String(e.constraint ?? '').includes(column);
    }
  }
  return false;
}

export const BUSY_MESSAGE =
  'ただいまアクセスが集中しているため、処理を完了できませんでした。内容は保存されていません。恐れ入りますが、少し時間をおいてもう一度送信してください。';

/** A 503 answer for a busy database: plain Japanese text, retry hint, never cached. */
export function busyResponse(message: string = BUSY_MESSAGE): Response {
  return new Response(message, {
    status: 503,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5', 'Cache-Control': 'no-store' },
  });
}

type RouteFunction = (args: never) => unknown;

function mapBusy<F extends RouteFunction>(fn: F): F {
  return (async (args: never) => {
    try {
      return await fn(args);
    } catch (error) {
      if (isBusyError(error)) throw busyResponse();
      throw error;
    }
  }) as unknown as F;
}

/**
 * The server build with every loader and action answering a busy database
 * with a thrown 503 Response (the root ErrorBoundary shows its Japanese
 * message), so no route has to remember to. Remix's handleError cannot change
 * a status, so the mapping has to happen before Remix sees the error:
 * `createRequestHandler({ build: withBusyAs503(build), … })`.
 */
export function withBusyAs503(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module: Record<string, unknown> = { ...route.module };
    for (const name of ['loader', 'action'] as const) {
      if (typeof module[name] === 'function') module[name] = mapBusy(module[name] as RouteFunction);
    }
    routes[id] = { ...route, module: module as unknown as typeof route.module };
  }
  return { ...build, routes };
}
