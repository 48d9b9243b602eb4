// Personal data is kept only as long as the office needs it. An opinion that
// has been settled (answered, closed, out of scope, duplicate) for longer than
// RETENTION_MONTHS loses its name, contact details, client hash and user agent;
// its text, target, dates, status and unit stay, so the register of opinions
// and every statistic survive. The removal itself (./personal-data.server.ts)
// also answers a person's request to erase their data.
import { sql } from 'kysely';
import { OPEN_STATUSES, SETTLED_STATUSES } from '~/domain/opinion-status';
import { recordAudit } from '~/models/audit.server';
import {
  countRemoval,
  removePersonalData,
  type PersonRow,
  type RemovalCounts,
} from '~/models/personal-data.server';
import { removeUnreferencedFiles } from '~/models/attachments.server';
import { isPostgres } from '../../db/dialect';
import type { DB } from '~/server/db.server';
import { log } from '~/server/request-log.server';

/** Opinions per transaction: a large first run must not hold the write lock for long. */
const BATCH = 500;

/** `months` calendar months before `now` (31 March − 1 month = 28/29 February). */
export function retentionCutoff(now: Date, months: number): Date {
  const day = now.getUTCDate();
  const d = new Date(now);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/**
 * Opinions settled before `cutoff` that still hold personal data. "Settled
 * since" is the moment of the latest audited status change from an open status
 * to a settled one (answered → closed does not restart the clock; reopening
 * and settling again does); an opinion with no such change (recorded or
 * imported already settled) counts from its last update. Received before the
 * cutoff is implied, and narrows the scan to old opinions through an index.
 */
export async function listExpiredOpinions(db: DB, cutoff: string, limit?: number): Promise<PersonRow[]> {
  const status = (json: 'before_json' | 'after_json') =>
    isPostgres(db) ? sql`(${sql.ref(`a.${json}`)}::jsonb ->> 'status')` : sql`json_extract(${sql.ref(`a.${json}`)}, '$.status')`;
  const settledSince = sql<string>`coalesce((
      select max(a.created_at) from audit_log a
      where a.entity_type = 'opinion' and a.entity_id = cast(opinions.id as text) and a.action = 'opinion.status'
        and ${status('before_json')} in (${sql.join(OPEN_STATUSES)})
        and ${status('after_json')} in (${sql.join(SETTLED_STATUSES)})
    ), opinions.updated_at)`;
  let query = db
    .selectFrom('opinions')
    .select(['id', 'name', 'email', 'phone', 'address'])
    .where('received_at', '<', cutoff)
    .where('status', 'in', SETTLED_STATUSES)
    .where('personal_data_removed_at', 'is', null)
    .where((eb) =>
      eb.or(
        ['name', 'email', 'phone', 'address', 'client_hash', 'user_agent'].map((c) => eb(c as 'name', 'is not', null)),
      ),
    )
    .where(settledSince, '<', cutoff)
    .orderBy('id');
  if (limit !== undefined) query = query.limit(limit);
  return query.execute();
}

export type RetentionResult = RemovalCounts & { months: number; cutoff: string; dryRun: boolean };

/**
 * One retention run. A dry run counts and changes nothing (and writes no audit
 * row). A real run works in transactions of up to 500 opinions, each with one
 * audit row `opinion.retention` carrying its counts; a run with nothing to do
 * still writes one row (with zeros), so the log shows that it ran.
 */
export async function runRetention(
  db: DB,
  options: { months: number; now?: Date; dryRun?: boolean; actorLabel?: string },
): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const cutoff = retentionCutoff(now, options.months).toISOString();
  const base = { months: options.months, cutoff, dryRun: Boolean(options.dryRun) };
  if (options.dryRun) {
    return { ...base, ...(await countRemoval(db, await listExpiredOpinions(db, cutoff))) };
  }
  const total: RemovalCounts = { opinions: 0, messages: 0, withdrawnMessages: 0, notes: 0 };
  for (let first = true; ; first = false) {
    const orphanedFiles: string[] = [];
    const counts = await db.transaction().execute(async (trx) => {
      const people = await listExpiredOpinions(trx, cutoff, BATCH);
      if (people.length === 0 && !first) return null;
      const counts = await removePersonalData(trx, people, 'retention', now.toISOString(), orphanedFiles);
      await recordAudit(trx, {
        actor: null,
        actorLabel: options.actorLabel ?? 'system',
        action: 'opinion.retention',
        entityType: 'opinion',
        entityId: null,
        after: { months: options.months, cutoff, ...counts },
      });
      return counts;
    });
    if (!counts) break;
    await removeUnreferencedFiles(db, orphanedFiles);
    for (const key of Object.keys(total) as Array<keyof RemovalCounts>) total[key] += counts[key];
    if (counts.opinions < BATCH) break;
  }
  return { ...base, ...total };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The server's daily run: once just after start (so a server restarted every
 * day still runs it), then every 24 hours. Returns a stopper that waits for a
 * run in progress. A failed run is logged and tried again the next day.
 */
export function startRetentionTimer(db: DB, months: number): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    running = runRetention(db, { months })
      .then((result) => log('info', 'retention', { ...result }))
      .catch((error) => log('error', 'retention failed', { error: String(error) }))
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, DAY_MS).unref();
      });
  };
  let timer: NodeJS.Timeout = setTimeout(tick, 0).unref();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
