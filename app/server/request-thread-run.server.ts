// An opinion thread's end (decision 018): request-thread.worker.mjs loads the
// server build and calls runRequestThread, which answers what the main thread
// hands it (request-threads.server.ts) with the build cut down to those routes.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import { prepareClientHashKey } from './client-hash.server';
import { withBusyAs503 } from './db-errors.server';
import { closeDb, getDb, useBackgroundThread } from './db.server';
import { bindReportPageCache } from './page-version.server';
import type { ThreadAnswer, ThreadEvent, ThreadRequest } from './request-threads.server';
import { prepareSessionSecret } from './session.server';
import { startOutboxWorker } from '~/mail/outbox-worker.server';

/** The route that answers those posts (app/routes/reports.$slug_.opinions.tsx). */
export const THREAD_ROUTE = 'routes/reports.$slug_.opinions';
/** The report page, the list and a section's replies, which a thread renders for the main thread's page cache (renderForCache). */
export const CACHED_ROUTES = ['routes/reports.$slug', 'routes/_index', 'routes/reports.$slug_.sections.$n.replies'] as const;

/**
 * A build a thread runs: the same, with only the given routes and the routes
 * they nest in. A thread has two: the opinion route for posts, and the pages
 * it renders for the main thread's page cache. A page whose route is missing
 * from a build is the root's alone, empty, with a 200: the page cache refuses
 * a render that does not name its page (page-cache.server.ts). Remix matches a
 * request by flattening and ranking every route it was given, for each
 * request (twice for a post); over the app's 53 routes that was ~5 % of a
 * thread's CPU per opinion, and a post still paid for the three cached pages'
 * routes until each kind of request had a build of its own. The assets
 * manifest is cut alike: the page a thread renders (a refused post's form
 * again) lists only its matched routes anyway (lazy route discovery), and the
 * browser asks the main thread for the rest.
 */
export function threadBuild(build: ServerBuild, routeIds: string | readonly string[]): ServerBuild {
  const ids = new Set<string>();
  for (const routeId of typeof routeIds === 'string' ? [routeIds] : routeIds) {
    for (let id: string | undefined = routeId; id; id = build.routes[id]?.parentId) {
      if (!build.routes[id]) throw new Error(`the server build has no route ${id}`);
      ids.add(id);
    }
  }
  const pick = <T>(all: Record<string, T>): Record<string, T> => Object.fromEntries([...ids].map((id) => [id, all[id]]));
  return { ...build, routes: pick(build.routes), assets: { ...build.assets, routes: pick(build.assets.routes) } };
}

/** How much lower an opinion thread's CPU priority is than the main thread's (decision 018). */
const THREAD_NICE = 5;

/**
 * The thread's end (request-thread.worker.mjs calls it with the loaded build):
 * opens its own database connections (the main thread has migrated; the
 * main thread's background thread indexes), then answers each request with
 * the Remix handler, as the main thread would have. The first thread also
 * delivers the outbox.
 */
export async function runRequestThread(build: ServerBuild): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runRequestThread runs in a worker thread');
  let stopOutbox: (() => Promise<void>) | undefined;
  /** Posts and page renders handed to this thread and not yet answered. */
  let inFlight = 0;
  // Readers first: when both cores are busy, the main thread (every page
  // read) gets the CPU before this one. On Linux the nice value is the
  // thread's own; opinions still take every idle cycle.
  try {
    os.setPriority(THREAD_NICE);
  } catch {
    // Not permitted here: the thread runs at the process's priority.
  }
  try {
    useBackgroundThread(false);
    const db = getDb();
    await prepareClientHashKey(db);
    await prepareSessionSecret(db);
    bindReportPageCache(db);
    // The first thread delivers the outbox (claims in the database make a
    // second deliverer harmless), giving way to the posts waiting for it.
    if ((workerData as { index?: number }).index === 1) stopOutbox = startOutboxWorker(db, undefined, { busy: () => inFlight > 0 });
  } catch (error) {
    port.postMessage({ event: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ThreadEvent);
    return;
  }
  const handlePost = createRequestHandler(withBusyAs503(threadBuild(build, THREAD_ROUTE)), 'production');
  const handleRender = createRequestHandler(withBusyAs503(threadBuild(build, CACHED_ROUTES)), 'production');
  port.on('message', (m: ThreadRequest | { close: true }) => {
    if ('close' in m) {
      port.close();
      void (async () => {
        try {
          await stopOutbox?.();
        } finally {
          await closeDb().finally(() => process.exit(0));
        }
      })();
      return;
    }
    inFlight++;
    void answer(m).then(({ message, transfer }) => {
      inFlight--;
      port.postMessage(message, transfer);
    });
  });
  const answer = async (m: ThreadRequest): Promise<{ message: ThreadAnswer; transfer: ArrayBuffer[] }> => {
    try {
      const request = new Request(m.url, {
        method: m.method,
        headers: m.headers,
        body: m.body && m.method !== 'GET' && m.method !== 'HEAD' ? (m.body as Uint8Array<ArrayBuffer>) : undefined,
      });
      const response = await (m.context.renderForCache ? handleRender : handlePost)(request, m.context);
      const body = response.body ? await response.arrayBuffer() : null;
      const headers: Array<[string, string]> = [];
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') headers.push([name, value]);
      });
      for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
      return { message: { id: m.id, status: response.status, statusText: response.statusText, headers, body }, transfer: body ? [body] : [] };
    } catch (error) {
      return { message: { id: m.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, transfer: [] };
    }
  };
  port.postMessage({ event: 'ready' } satisfies ThreadEvent);
}
