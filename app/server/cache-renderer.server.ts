// Where the page cache's renders are made (decision 015, amended): on an
// opinion thread the server hands over, off the event loop that answers every
// read, or here when there is none or it cannot answer in time.
import { log } from './request-log.server';

/** How long a render on a thread may take before this thread renders the page itself. */
const THREAD_RENDER_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The page from `elsewhere` (a thread) when it gives one, else from `here`:
 * a thread that failed, answered 5xx (it could not render: a busy database, a
 * failure of its own) or gave no answer within `timeoutMs` is not the page's
 * answer, and the reader must not wait on it.
 */
export async function renderElsewhereOrHere(
  elsewhere: (() => Promise<Response>) | null,
  here: () => Promise<Response>,
  timeoutMs = THREAD_RENDER_TIMEOUT_MS,
): Promise<{ response: Response; on: 'thread' | 'main' }> {
  if (!elsewhere) return { response: await here(), on: 'main' };
  try {
    const response = await withTimeout(elsewhere(), timeoutMs);
    if (response.status >= 500) throw new Error(`the thread answered ${response.status}`);
    return { response, on: 'thread' };
  } catch (error) {
    log('warn', 'report page render on a thread failed; rendering here', { error: String(error) });
    return { response: await here(), on: 'main' };
  }
}

/** Renders a page elsewhere (an opinion thread, request-threads.server.ts); its answer as Remix's would be. */
export type CacheRenderer = (url: string, headers: Array<[string, string]>, viewsPending: Record<number, number>) => Promise<Response>;
let renderer: CacheRenderer | null = null;

/**
 * Where the cached pages are rendered: on `to` (the server hands its opinion
 * threads) or, with null, on this thread. A render `to` cannot give (a thread
 * that died, the threads closing) is made here instead.
 */
export function renderReportPagesOn(to: CacheRenderer | null): void {
  renderer = to;
}

/** The renderer renderReportPagesOn was last given; null: render on this thread. */
export function cacheRenderer(): CacheRenderer | null {
  return renderer;
}
