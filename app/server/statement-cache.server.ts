// Prepared statements kept by their SQL for a better-sqlite3 connection.
import type SQLite from 'better-sqlite3';

export type StatementCache = (sql: string) => SQLite.Statement;

/** Kysely prepares every query afresh; statements can be reused (~5% of a flood of opinions). */
export function statementCache(sqlite: SQLite.Database): StatementCache {
  const cache = new Map<string, SQLite.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      // Queries built with varying IN-lists could grow this without bound.
      if (cache.size >= 500) cache.clear();
      statement = sqlite.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
