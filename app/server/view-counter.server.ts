import { isbot } from 'isbot';
import { addReportViews } from '~/models/reports.server';
import type { DB } from './db.server';

// Views are counted in memory and written in batches, so that reading the
// notice never costs a database write.
const pending = new Map<number, number>();
/** Views counted by this process since it started (never reset). */
const counted = new Map<number, number>();
let timer: NodeJS.Timeout | undefined;

type HeaderBag = Record<string, string | string[] | undefined>;

// isbot's pattern is long, and a surge of readers sends few distinct agents.
const botByAgent = new Map<string, boolean>();
function isBotAgent(agent: string): boolean {
  let bot = botByAgent.get(agent);
  if (bot === undefined) {
    if (botByAgent.size >= 1_000) botByAgent.clear();
    botByAgent.set(agent, (bot = isbot(agent)));
  }
  return bot;
}

/** Whether a request is a page view by a person (not a bot, HEAD or prefetch). */
export function isHumanViewHeaders(method: string | undefined, headers: HeaderBag): boolean {
  if (method !== 'GET') return false;
  if (isBotAgent(String(headers['user-agent'] ?? ''))) return false;
  const { purpose, 'sec-purpose': secPurpose, 'x-moz': xMoz } = headers;
  // Most reads say none of these: no string to build or test.
  if (purpose === undefined && secPurpose === undefined && xMoz === undefined) return true;
  return !/prefetch|prerender/i.test(`${String(purpose ?? '')} ${String(secPurpose ?? '')} ${String(xMoz ?? '')}`);
}

export function isHumanView(request: Request): boolean {
  return isHumanViewHeaders(request.method, Object.fromEntries(request.headers));
}

export function countView(reportId: number): void {
  pending.set(reportId, (pending.get(reportId) ?? 0) + 1);
  counted.set(reportId, (counted.get(reportId) ?? 0) + 1);
}

/** Views of a report this process has counted since it started (the page cache compares it). */
export function countedViews(reportId: number): number {
  return counted.get(reportId) ?? 0;
}

export function pendingViews(reportId: number): number {
  return pending.get(reportId) ?? 0;
}

/** Writes of the pending views that have committed (a render compares it before and after). */
let flushes = 0;

/**
 * The views a page rendered now shows and has shown, taken together before the
 * render: every report's views not yet written (for a render on another thread,
 * whose own counter is empty), those counted so far, and how many writes of the
 * pending views have committed.
 */
export function viewsSnapshot(): { pending: Record<number, number>; counted: Map<number, number>; flushes: number } {
  return { pending: Object.fromEntries(pending), counted: new Map(counted), flushes };
}

/** Whether pending views were written since `snapshot` was taken (a render that read both may count them twice). */
export function flushedSince(snapshot: { flushes: number }): boolean {
  return flushes !== snapshot.flushes;
}

async function flushViews(db: DB): Promise<void> {
  if (pending.size === 0) return;
  const batch = new Map(pending);
  pending.clear();
  try {
    await addReportViews(db, batch);
    flushes++;
  } catch (error) {
    for (const [id, n] of batch) pending.set(id, (pending.get(id) ?? 0) + n);
    throw error;
  }
}

export function startViewFlusher(db: DB, everyMs = 5_000): () => Promise<void> {
  timer = setInterval(() => {
    flushViews(db).catch((e) => console.error('view flush failed', e));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await flushViews(db);
  };
}
