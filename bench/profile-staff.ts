// In-process timing of the staff inbox's parts on a seeded database (not part
// of `npm run bench`): node --import tsx bench/profile-staff.ts <bench.db> ['query|query…']
// Prints each part's median and, per part, the SQL statements it ran with their time.
import { performance } from 'node:perf_hooks';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../db/schema';
import { openSqlite, type DB } from '~/server/db.server';
import { readInbox, countOverdue } from '~/models/inbox.server';
import { listInboxFilterChoices } from '~/models/report-outlines.server';
import { listAddressBounces } from '~/models/mail-events.server';
import { parseInboxFilters } from '~/schemas/inbox-filters';

const file = process.argv[2];
const sqlite = openSqlite(file);
sqlite.pragma('query_only = ON');
sqlite.pragma('cache_size = -16000');
const spent = new Map<string, { ms: number; n: number }>();
const prepare = sqlite.prepare.bind(sqlite);
(sqlite as { prepare: unknown }).prepare = (source: string) => {
  const stmt = prepare(source);
  const timed = (name: 'all' | 'get' | 'run') => {
    const f = (stmt as unknown as Record<string, (...a: unknown[]) => unknown>)[name].bind(stmt);
    return (...args: unknown[]) => {
      const t = performance.now();
      try {
        return f(...args);
      } finally {
        const s = spent.get(source) ?? { ms: 0, n: 0 };
        s.ms += performance.now() - t;
        s.n++;
        spent.set(source, s);
      }
    };
  };
  return new Proxy(stmt, { get: (target, p) => (p === 'all' || p === 'get' || p === 'run' ? timed(p) : Reflect.get(target, p)) });
};
const db: DB = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });

async function time(label: string, fn: () => Promise<unknown>, n = 15) {
  for (let i = 0; i < 3; i++) await fn();
  spent.clear();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(60)} median ${ms[n >> 1].toFixed(2)} ms  max ${ms[n - 1].toFixed(2)} ms`);
  for (const [source, s] of spent) {
    console.log(`    ${(s.ms / n).toFixed(2).padStart(7)} ms/run  ${source.replace(/\s+/g, ' ').slice(0, 260)}`);
    if (process.env.PLAN) for (const r of prepare(`explain query plan ${source}`).all(...[]) as { detail: string }[]) console.log(`            ${r.detail}`);
  }
}

const now = new Date().toISOString();
const queries = (process.argv[3] ?? '|status=new&section=2&from=2026-10-01&to=2026-11-15|q=駐車場|q=駐車|q=王|q=困っています|q=デジタル化').split('|');
await time('countOverdue', () => countOverdue(db, now));
await time('listInboxFilterChoices', () => listInboxFilterChoices(db));
await time('listAddressBounces', () => listAddressBounces(db));
for (const q of queries) {
  const { filters } = parseInboxFilters(new URLSearchParams(q));
  await time(`readInbox ?${q}`, () => readInbox(db, filters, now));
}
await db.destroy();
