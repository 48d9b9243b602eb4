// npm run db:copy -- --from <sqlite path | postgres url> --to <postgres url | sqlite path>
//   [--force] [--batch-size 1000] [--throttle-ms 0]
//
// Moves an office's data between SQLite and PostgreSQL (either way, or to a
// second file of the same engine). Stop the app first: rows written to the
// source during the copy are not followed.
//
// - The target is migrated to the latest schema; the source must already be
//   (npm run db:migrate with its DATABASE_URL/DATABASE_PATH).
// - Tables come from the target's schema, ordered by their foreign keys, so a
//   table a later migration adds is copied without touching this file. Left
//   out: SQLite's own and FTS5's tables (the search indexes are derived), the
//   migration bookkeeping, and the tables the target's triggers keep
//   (opinion_counts, opinion_section_counts, opinion_day_counts, opinions_search_queue), which
//   come out right as the opinions go in, and are then checked.
// - Each table is copied in one transaction, in batches, ids kept, and
//   checked inside it (row count and a SHA-256 over its rows in primary-key
//   order, values normalised so both engines give the same digest) before it
//   commits. PostgreSQL sequences (and SQLite's AUTOINCREMENT high-water
//   marks) are moved past the copied ids.
// - Restartable: after an interruption every table is either complete or
//   empty, so a second run skips the tables whose rows already match and
//   copies the rest. A target holding anything else is refused unless
//   --force, which empties it first.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely, type Transaction } from 'kysely';
import { dialectOf, isPostgresUrl, migrateToLatest, openDatabase } from '../app/server/db.server';
import { migrationProvider } from '../db/migrations/index';
import { parseArgs, runCli, UsageError } from './cli';

const USAGE = 'Usage: npm run db:copy -- --from <sqlite path | postgres url> --to <postgres url | sqlite path> [--force] [--batch-size 1000] [--throttle-ms 0]';

/** Tables that are not data: the engine's, the search indexes' and the migrator's. */
const NOT_DATA = [/^sqlite_/, /^opinions_fts/, /^opinions_grams/, /^kysely_migration/];

/** Tables the target's triggers fill as the opinions go in; checked after the copy. */
const KEPT_BY_TRIGGERS = ['opinion_counts', 'opinion_section_counts', 'opinion_day_counts', 'opinions_search_queue'];

type AnyDb = Kysely<any>;
type Column = { name: string; text: boolean };
type TablePlan = {
  name: string;
  /** Sorted by name: the digest does not depend on either engine's column order. */
  columns: Column[];
  primaryKey: Column[];
  /** Columns that point at this same table (opinions.duplicate_of_id): set after every row is in. */
  selfReferences: string[];
  /** The integer id fed by a sequence (PostgreSQL) or AUTOINCREMENT (SQLite), if any. */
  serialId: string | null;
};

function isDataTable(name: string): boolean {
  return !NOT_DATA.some((re) => re.test(name));
}

async function tableNames(db: AnyDb): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.filter((t) => !t.isView && (t.schema === undefined || t.schema === 'public')).map((t) => t.name);
}

async function primaryKeyOf(db: AnyDb, table: string): Promise<string[]> {
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ name: string }>`
      select a.attname as name from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = ${table}::regclass and i.indisprimary
      order by array_position(i.indkey, a.attnum)`.execute(db);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db);
  return rows.map((r) => r.name);
}

/** [table, column, referenced table] for every foreign key. */
async function foreignKeys(db: AnyDb, tables: string[]): Promise<Array<{ table: string; column: string; references: string }>> {
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ table: string; column: string; references: string }>`
      select c.conrelid::regclass::text as "table", a.attname as "column", c.confrelid::regclass::text as "references"
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(db);
    return rows.map((r) => ({ ...r, table: r.table.replace(/"/g, ''), references: r.references.replace(/"/g, '') }));
  }
  const out: Array<{ table: string; column: string; references: string }> = [];
  for (const table of tables) {
    const { rows } = await sql<{ from: string; table: string }>`select "from", "table" from pragma_foreign_key_list(${table})`.execute(db);
    for (const r of rows) out.push({ table, column: r.from, references: r.table });
  }
  return out;
}

async function serialIdOf(db: AnyDb, table: string, primaryKey: string[]): Promise<string | null> {
  if (primaryKey.length !== 1) return null;
  const [column] = primaryKey;
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ seq: string | null }>`select pg_get_serial_sequence(${table}, ${column}) as seq`.execute(db);
    return rows[0]?.seq ? column : null;
  }
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return /autoincrement/i.test(rows[0]?.sql ?? '') ? column : null;
}

/** Orders tables so that each comes after every table it references (Kahn's algorithm, ties by name). */
function dependencyOrder(tables: string[], keys: Array<{ table: string; references: string }>): string[] {
  const pending = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const k of keys) if (k.table !== k.references && pending.has(k.table) && pending.has(k.references)) pending.get(k.table)!.add(k.references);
  const order: string[] = [];
  while (pending.size) {
    const ready = [...pending].filter(([, deps]) => [...deps].every((d) => !pending.has(d))).map(([t]) => t).sort();
    if (!ready.length) throw new Error(`Foreign keys form a cycle among: ${[...pending.keys()].join(', ')}`);
    for (const t of ready) {
      order.push(t);
      pending.delete(t);
    }
  }
  return order;
}

async function planTables(target: AnyDb): Promise<{ copied: TablePlan[]; derived: string[] }> {
  const names = (await tableNames(target)).filter(isDataTable);
  const keys = await foreignKeys(target, names);
  const byName = new Map((await target.introspection.getTables()).map((t) => [t.name, t]));
  const copied: TablePlan[] = [];
  for (const name of dependencyOrder(names.filter((n) => !KEPT_BY_TRIGGERS.includes(n)), keys)) {
    const meta = byName.get(name)!;
    const columns = meta.columns
      .map((c) => ({ name: c.name, text: /char|text/i.test(c.dataType) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const pkNames = await primaryKeyOf(target, name);
    const primaryKey = pkNames.length ? pkNames.map((n) => columns.find((c) => c.name === n)!) : columns;
    const selfReferences = keys.filter((k) => k.table === name && k.references === name).map((k) => k.column);
    copied.push({ name, columns, primaryKey, selfReferences, serialId: await serialIdOf(target, name, pkNames) });
  }
  return { copied, derived: names.filter((n) => KEPT_BY_TRIGGERS.includes(n)) };
}

// --- Reading and digesting ----------------------------------------------------

/** One value as both engines agree on it: numbers as numbers, text as text, bytes as hex. */
function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Buffer.isBuffer(value)) return { hex: value.toString('hex') };
  if (value instanceof Date) return value.toISOString();
  return value;
}

function rowLine(plan: TablePlan, row: Record<string, unknown>): string {
  return JSON.stringify(plan.columns.map((c) => normalise(row[c.name]))) + '\n';
}

/** A primary-key column in byte order on both engines (PostgreSQL sorts text by its collation otherwise). */
function keyRef(db: AnyDb, column: Column) {
  return dialectOf(db) === 'postgres' && column.text ? sql`${sql.ref(column.name)} collate "C"` : sql.ref(column.name);
}

/** The table's rows in primary-key order, `batchSize` at a time (keyset pagination). */
async function* readBatches(db: AnyDb, plan: TablePlan, batchSize: number): AsyncGenerator<Record<string, unknown>[]> {
  const columns = sql.join(plan.columns.map((c) => sql.ref(c.name)));
  const order = sql.join(plan.primaryKey.map((c) => keyRef(db, c)));
  let last: unknown[] | null = null;
  for (;;) {
    const after: ReturnType<typeof sql> = last
      ? sql`where (${order}) > (${sql.join(last.map((v) => sql`${v}`))})`
      : sql``;
    const { rows } = await sql<Record<string, unknown>>`
      select ${columns} from ${sql.table(plan.name)} ${after} order by ${order} limit ${batchSize}`.execute(db);
    if (!rows.length) return;
    yield rows;
    if (rows.length < batchSize) return;
    const lastRow = rows[rows.length - 1];
    last = plan.primaryKey.map((c) => lastRow[c.name]);
  }
}

type Digest = { rows: number; sha256: string };

async function digestTable(db: AnyDb, plan: TablePlan, batchSize: number): Promise<Digest> {
  const hash = createHash('sha256');
  let rows = 0;
  for await (const batch of readBatches(db, plan, batchSize)) {
    for (const row of batch) hash.update(rowLine(plan, row));
    rows += batch.length;
  }
  return { rows, sha256: hash.digest('hex') };
}

async function countRows(db: AnyDb, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0].n);
}

// --- Ids ----------------------------------------------------------------------

/** The highest id ever handed out (ids of deleted rows are not reused on the copy either). */
async function idHighWater(db: AnyDb, plan: TablePlan): Promise<number> {
  if (!plan.serialId) return 0;
  const { rows } = await sql<{ n: number | null }>`select max(${sql.ref(plan.serialId)}) as n from ${sql.table(plan.name)}`.execute(db);
  let high = Number(rows[0].n ?? 0);
  if (dialectOf(db) === 'postgres') {
    const seq = await sql<{ seq: string | null }>`select pg_get_serial_sequence(${plan.name}, ${plan.serialId}) as seq`.execute(db);
    if (seq.rows[0]?.seq) {
      const { rows: s } = await sql<{ last_value: number; is_called: boolean }>`select last_value, is_called from ${sql.raw(seq.rows[0].seq)}`.execute(db);
      if (s[0]?.is_called) high = Math.max(high, Number(s[0].last_value));
    }
  } else {
    const { rows: s } = await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${plan.name}`.execute(db);
    if (s[0]) high = Math.max(high, Number(s[0].seq));
  }
  return high;
}

async function setIdHighWater(trx: Transaction<any>, plan: TablePlan, high: number): Promise<void> {
  if (!plan.serialId) return;
  if (dialectOf(trx) === 'postgres') {
    const seq = sql`pg_get_serial_sequence(${plan.name}, ${plan.serialId})`;
    await (high >= 1 ? sql`select setval(${seq}, ${high}, true)` : sql`select setval(${seq}, 1, false)`).execute(trx);
    return;
  }
  // Exactly the source's mark, also over a higher one a --force run emptied.
  await sql`delete from sqlite_sequence where name = ${plan.name}`.execute(trx);
  if (high >= 1) await sql`insert into sqlite_sequence(name, seq) values (${plan.name}, ${high})`.execute(trx);
}

// --- Copying ------------------------------------------------------------------

type Options = { batchSize: number; throttleMs: number; progress: (line: string) => void; log: (line: string) => void };

async function copyTable(source: AnyDb, target: AnyDb, plan: TablePlan, expected: number, options: Options): Promise<Digest> {
  const high = await idHighWater(source, plan);
  return target.transaction().execute(async (trx) => {
    const hash = createHash('sha256');
    const later: Array<{ key: Record<string, unknown>; set: Record<string, unknown> }> = [];
    // Both engines cap the parameters of one statement (SQLite at 32,766).
    const rowsPerInsert = Math.max(1, Math.floor(10_000 / plan.columns.length));
    let copied = 0;
    for await (const batch of readBatches(source, plan, options.batchSize)) {
      const values = batch.map((row) => {
        hash.update(rowLine(plan, row));
        const out: Record<string, unknown> = {};
        for (const c of plan.columns) out[c.name] = typeof row[c.name] === 'bigint' ? Number(row[c.name]) : row[c.name];
        const set: Record<string, unknown> = {};
        for (const column of plan.selfReferences) {
          if (out[column] !== null) set[column] = out[column];
          out[column] = null;
        }
        if (Object.keys(set).length) later.push({ key: Object.fromEntries(plan.primaryKey.map((c) => [c.name, out[c.name]])), set });
        return out;
      });
      for (let i = 0; i < values.length; i += rowsPerInsert) {
        await trx.insertInto(plan.name).values(values.slice(i, i + rowsPerInsert)).execute();
      }
      copied += batch.length;
      options.progress(`  ${plan.name}: ${copied}/${expected} rows`);
      if (options.throttleMs) await sleep(options.throttleMs);
    }
    for (const { key, set } of later) {
      let update = trx.updateTable(plan.name).set(set);
      for (const [column, value] of Object.entries(key)) update = update.where(column, '=', value);
      await update.execute();
    }
    await setIdHighWater(trx, plan, high);
    const copiedDigest = { rows: copied, sha256: hash.digest('hex') };
    const check = await digestTable(trx, plan, options.batchSize);
    if (check.rows !== copiedDigest.rows || check.sha256 !== copiedDigest.sha256) {
      throw new Error(`${plan.name}: the copy does not match what was read (${check.rows} rows, sha256 ${check.sha256} ≠ ${copiedDigest.rows} rows, ${copiedDigest.sha256}); nothing of this table was kept`);
    }
    return copiedDigest;
  });
}

/** Empties every data table of the target, children first (--force). */
async function emptyTarget(target: AnyDb, plans: TablePlan[], derived: string[]): Promise<void> {
  await target.transaction().execute(async (trx) => {
    for (const plan of [...plans].reverse()) await trx.deleteFrom(plan.name).execute();
    // The count triggers leave zero rows behind the deleted opinions.
    for (const table of derived) await trx.deleteFrom(table).execute();
  });
}

/** The rows of a table the triggers keep, as comparable lines (zero counts are no rows). */
async function derivedRows(db: AnyDb, table: string): Promise<string[]> {
  const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
  return rows
    .filter((r) => !('n' in r) || Number(r.n) !== 0)
    .map((r) => JSON.stringify(Object.keys(r).sort().map((k) => normalise(r[k]))))
    .sort();
}

async function checkDerived(source: AnyDb, target: AnyDb, derived: string[], log: (line: string) => void): Promise<void> {
  for (const table of derived) {
    if (table === 'opinions_search_queue') {
      // PostgreSQL keeps its search index in the same transaction (the queue stays empty);
      // on SQLite every copied opinion is queued for the server's background indexer.
      if (dialectOf(target) === 'sqlite') {
        const [queued, opinions] = [await countRows(target, table), await countRows(target, 'opinions')];
        if (queued !== opinions) throw new Error(`opinions_search_queue: ${queued} of ${opinions} opinions queued for search`);
        log(`  ${table}: ${queued} opinions queued for the search index (the server indexes them on start)`);
      }
      continue;
    }
    const [a, b] = [await derivedRows(source, table), await derivedRows(target, table)];
    if (a.length !== b.length || a.some((line, i) => line !== b[i])) {
      throw new Error(`${table}: the counts on the target differ from the source's (${b.length} rows vs ${a.length})`);
    }
    log(`  ${table}: ${b.length} rows match (kept by the target's triggers)`);
  }
}

async function checkSourceSchema(source: AnyDb): Promise<void> {
  const known = Object.keys(await migrationProvider.getMigrations());
  let applied: string[];
  try {
    applied = (await source.selectFrom('kysely_migration').select('name').execute()).map((r) => String(r.name));
  } catch {
    throw new UsageError('The source has no ikenbako schema (no kysely_migration table).');
  }
  const missing = known.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !known.includes(m));
  if (unknown.length) throw new UsageError(`The source has migrations this version does not know (${unknown.join(', ')}): copy with the version that made it.`);
  if (missing.length) throw new UsageError(`The source lacks ${missing.length} migration(s) (first: ${missing[0]}): run npm run db:migrate against it first.`);
}

function describe(target: string): string {
  if (!isPostgresUrl(target)) return path.resolve(target);
  const url = new URL(target);
  url.password = url.password ? '***' : '';
  return url.toString();
}

async function copyDatabase(from: string, to: string, options: Options & { force: boolean }): Promise<void> {
  const { log } = options;
  const source = openDatabase(from).db;
  const target = openDatabase(to).db;
  try {
    await checkSourceSchema(source);
    await migrateToLatest(target);
    const { copied: plans, derived } = await planTables(target);
    const sourceTables = new Set(await tableNames(source));
    // A table one dialect's migrations make and the other's do not has nothing to copy.
    const absent = new Set(plans.filter((p) => !sourceTables.has(p.name)).map((p) => p.name));
    const extra = [...sourceTables].filter(isDataTable).filter((t) => !plans.some((p) => p.name === t) && !derived.includes(t));
    if (extra.length) log(`Not copied (not in the migrated schema): ${extra.join(', ')}`);

    log(`Copying ${describe(from)} (${dialectOf(source)}) → ${describe(to)} (${dialectOf(target)}): ${plans.length} tables`);
    const done = new Map<string, Digest>();
    const present: Array<{ plan: TablePlan; rows: number }> = [];
    for (const plan of plans) {
      const rows = await countRows(target, plan.name);
      if (rows) present.push({ plan, rows });
    }
    if (present.length && options.force) {
      log(`--force: emptying the target (${present.map((p) => `${p.plan.name} ${p.rows}`).join(', ')})`);
      await emptyTarget(target, plans, derived);
    } else {
      // A table an interrupted run committed matches the source exactly; anything else is someone's data.
      for (const { plan, rows } of present) {
        if (absent.has(plan.name)) {
          throw new UsageError(`The target is not empty (${plan.name}: ${rows} rows the source has no table for). Use --force to replace its contents.`);
        }
        const [a, b] = [await digestTable(source, plan, options.batchSize), await digestTable(target, plan, options.batchSize)];
        if (a.rows !== b.rows || a.sha256 !== b.sha256) {
          throw new UsageError(
            `The target is not empty and is not a partial copy of this source (${plan.name}: ${rows} rows that differ). Use --force to replace its contents.`,
          );
        }
        done.set(plan.name, a);
      }
      if (done.size) log(`Resuming: ${done.size} table(s) already copied and verified (${[...done.keys()].join(', ')})`);
    }

    const started = Date.now();
    for (const plan of plans) {
      if (absent.has(plan.name)) {
        log(`${plan.name}: 0 rows (not in the source's schema), left empty`);
        continue;
      }
      const prior = done.get(plan.name);
      if (prior) {
        log(`${plan.name}: ${prior.rows} rows already there, sha256 ${prior.sha256.slice(0, 16)} (skipped)`);
        continue;
      }
      const expected = await countRows(source, plan.name);
      const copied = await copyTable(source, target, plan, expected, options);
      const verify = await digestTable(source, plan, options.batchSize);
      if (verify.rows !== copied.rows || verify.sha256 !== copied.sha256) {
        throw new Error(`${plan.name}: the source changed during the copy (${verify.rows} rows now, ${copied.rows} copied). Stop the app and run db:copy again with --force.`);
      }
      log(`${plan.name}: ${copied.rows} rows copied, sha256 ${copied.sha256.slice(0, 16)} verified`);
    }
    await checkDerived(source, target, derived, log);
    log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${plans.length} tables copied and verified (${plans.map((p) => p.name).join(', ')})`);
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

function positiveInt(value: string | true | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min)) throw new UsageError(`--${flag} must be a whole number ≥ ${min}. ${USAGE}`);
  return n;
}

await runCli(async () => {
  const { positional, options } = parseArgs(process.argv.slice(2));
  const unknown = [...options.keys()].filter((k) => !['from', 'to', 'force', 'batch-size', 'throttle-ms'].includes(k));
  if (positional.length || unknown.length) throw new UsageError(`Unknown argument: ${[...positional, ...unknown.map((k) => `--${k}`)].join(' ')}. ${USAGE}`);
  const from = options.get('from');
  const to = options.get('to');
  if (typeof from !== 'string' || typeof to !== 'string') throw new UsageError(USAGE);
  if (describe(from) === describe(to)) throw new UsageError('--from and --to name the same database');
  if (options.get('force') !== undefined && options.get('force') !== true) throw new UsageError(`--force takes no value. ${USAGE}`);
  const tty = process.stdout.isTTY;
  await copyDatabase(from, to, {
    force: options.get('force') === true,
    batchSize: positiveInt(options.get('batch-size'), 'batch-size', 1000, 1),
    throttleMs: positiveInt(options.get('throttle-ms'), 'throttle-ms', 0, 0),
    // One line that updates in a terminal; a line per batch in a log.
    progress: (line) => (tty ? process.stdout.write(`\r${line}\x1b[K`) : console.log(line)),
    log: (line) => console.log(tty ? `\r\x1b[K${line}` : line),
  });
});
