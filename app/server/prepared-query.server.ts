// Queries built and compiled once, run with new values each time.
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from '../../db/schema';
import { dialectOf, type SqlDialect } from '../../db/dialect';

/** Where a value goes: `build` gets one of these for each value, in the value's place. */
class Slot {
  constructor(readonly name: string) {}
}

type Compiled = { sql: string; parameters: readonly unknown[] };

/**
 * A query whose shape never depends on its values, built with Kysely once per
 * dialect. Kysely builds (immutable nodes, frozen) and compiles each query
 * afresh: for the few statements of every opinion that was ~15 % of the CPU
 * its database work took (decision 021). `build` receives stand-ins for the
 * values (`p.body`), typed as the values themselves, so the builder checks
 * them as usual; each call puts the real values where the stand-ins were
 * compiled. Every call passes the same names (the first call's are the
 * stand-ins').
 *
 * Not for a query whose SQL changes with a value: an IN list, a condition
 * added only when a value is given, a comparison with null (`= null` is never
 * true; write `is not distinct from`). Such a query is built per call.
 */
export function preparedQuery<P extends Record<string, unknown>, O>(
  build: (db: Kysely<Database>, p: P) => Compilable<O>
) {
  const compiled: Partial<Record<SqlDialect, Compiled>> = {};
  return (db: Kysely<Database>, values: P): Promise<QueryResult<O>> => {
    const dialect = dialectOf(db);
    let query = compiled[dialect];
    if (!query) {
      // The stand-ins have the first call's names, so `values(p)` lists the columns.
      const slots = Object.fromEntries(Object.keys(values).map((name) => [name, new Slot(name)])) as P;
      const { sql, parameters } = build(db, slots).compile();
      query = compiled[dialect] = { sql, parameters };
    }
    const bound = query.parameters.map((p) => (p instanceof Slot ? values[p.name] : p));
    return db.executeQuery(CompiledQuery.raw(query.sql, bound) as CompiledQuery<O>);
  };
}
