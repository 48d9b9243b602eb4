// Frozen: never edit a migration that has landed; add a new one instead.
// The intake API: bearer tokens per integration (stored as SHA-256 digests),
// the Idempotency-Key records of its writes, and a new stored channel,
// 'hotline' (the 12345 citizen hotline), which the opinions table's CHECK
// constraint has to allow.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';

const OLD_CHANNELS = `channel in ('web','phone','post','visit','api')`;
const NEW_CHANNELS = `channel in ('web','phone','post','visit','api','hotline')`;

/**
 * SQLite cannot alter a CHECK constraint, and writable_schema is off limits
 * under better-sqlite3's defensive mode, so the table is rebuilt as SQLite's
 * ALTER TABLE documentation describes: create the new table from the current
 * definition (whatever columns other migrations added), copy the rows with
 * their ids, drop the old table, rename, and put back its indexes and
 * triggers. Foreign keys are off meanwhile (they cannot be switched inside a
 * transaction) and checked before the commit.
 */
async function rebuildOpinionsWith(db: Kysely<any>, from: string, to: string): Promise<void> {
  if (isPostgres(db)) {
    // PostgreSQL alters a CHECK constraint in place (named table_column_check).
    await sql`alter table opinions drop constraint opinions_channel_check`.execute(db);
    await sql`alter table opinions add constraint opinions_channel_check check (${sql.raw(to)})`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_schema where type = 'table' and name = 'opinions'`.execute(db);
  const definition = table.rows[0]?.sql;
  if (!definition || !definition.includes(from)) throw new Error(`opinions: expected the constraint ${from}`);
  const header = /^CREATE TABLE\s+("opinions"|`opinions`|opinions)\s*\(/i;
  if (!header.test(definition)) throw new Error('opinions: unexpected table definition');
  const rebuilt = definition.replace(from, to).replace(header, 'CREATE TABLE "opinions_rebuilt" (');
  const dependents = await sql<{ sql: string }>`
    select sql from sqlite_schema
    where tbl_name = 'opinions' and type in ('index', 'trigger') and sql is not null
    order by type, name`.execute(db);
  const sequence = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'opinions'`.execute(db);
  const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);

  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await sql.raw(rebuilt).execute(db);
      await sql`insert into opinions_rebuilt select * from opinions`.execute(db);
      await sql`drop table opinions`.execute(db);
      await sql`alter table opinions_rebuilt rename to opinions`.execute(db);
      for (const { sql: statement } of dependents.rows) await sql.raw(statement).execute(db);
      if (sequence.rows[0]) {
        await sql`update sqlite_sequence set seq = max(seq, ${sequence.rows[0].seq}) where name = 'opinions'`.execute(db);
      }
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`opinions: ${broken.rows.length} foreign key violations after the rebuild`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    if (foreignKeys.rows[0]?.foreign_keys) await sql`pragma foreign_keys = on`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('read','write')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_prefix', 'text', (c) => c.notNull())
    .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('created_by_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by_id', 'integer', (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('api_idempotency_keys')
    .addColumn('token_id', 'integer', (c) => c.notNull().references('api_tokens.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    /** null while the first request is still being processed */
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_idempotency_keys_pk', ['token_id', 'key'])
    .execute();
  await db.schema.createIndex('api_idempotency_created').on('api_idempotency_keys').columns(['created_at']).execute();

  await rebuildOpinionsWith(db, OLD_CHANNELS, NEW_CHANNELS);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The hotline is a telephone line: its opinions stay, as phone opinions.
  await sql`update opinions set channel = 'phone' where channel = 'hotline'`.execute(db);
  await rebuildOpinionsWith(db, NEW_CHANNELS, OLD_CHANNELS);
  await db.schema.dropTable('api_idempotency_keys').execute();
  await db.schema.dropTable('api_tokens').execute();
}
