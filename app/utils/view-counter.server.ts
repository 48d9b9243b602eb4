import { isbot } from 'isbot';
import { addReportViews } from '~/models/reports.server';
import type { DB } from './db.server';

// Views are counted in memory and written in batches, so that reading the
// notice never costs a database write.
const pending = new Map<number, number>();
let timer: NodeJS.Timeout | undefined;

/** Whether a request is a page view by a person (not a bot, HEAD or prefetch). */
export function isHumanView(request: Request): boolean {
  if (request.method !== 'GET') return false;
  const h = request.headers;
  if (isbot(h.get('user-agent') ?? '')) return false;
  const purpose = `${h.get('purpose') ?? ''} ${h.get('sec-purpose') ?? ''} ${h.get('x-moz') ?? ''}`;
  if (/prefetch|prerender/i.test(purpose)) return false;
  return true;
}

export function countView(reportId: number): void {
  pending.set(reportId, (pending.get(reportId) ?? 0) + 1);
}

export function pendingViews(reportId: number): number {
  return pending.get(reportId) ?? 0;
}

export async function flushViews(db: DB): Promise<void> {
  if (pending.size === 0) return;
  const batch = new Map(pending);
  pending.clear();
  try {
    await addReportViews(db, batch);
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
