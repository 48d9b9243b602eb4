// Which engine a Kysely instance talks to. Models and migrations branch on it
// only where SQLite and PostgreSQL differ (docs/decisions/016-two-dialects.md).
import { PostgresAdapter, type Kysely } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgres(db: Kysely<any>): boolean {
  return dialectOf(db) === 'postgres';
}
