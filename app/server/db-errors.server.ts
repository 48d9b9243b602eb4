import type { ServerBuild } from '@remix-run/node';

// SQLite answers SQLITE_BUSY (and its extended codes, e.g. SQLITE_BUSY_SNAPSHOT
// when a deferred transaction's snapshot went stale while it waited) when
// another connection held the write lock past busy_timeout. That is a
// temporary overload, not a bug: the request should answer 503 with a message
// asking the person to try again, never 500.

/** Whether `error` (or its cause) is SQLite's "database is locked/busy". */
export function isBusyError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')) {
      return true;
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
