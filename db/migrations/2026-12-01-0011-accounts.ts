// Frozen: never edit a migration that has landed; add a new one instead.
// Staff accounts look after themselves: a password that must be changed,
// TOTP two-factor sign-in (an encrypted secret, the last step used, hashed
// one-time recovery codes), and sessions that say which browser they are and
// whether the second factor is still owed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  // 'second_factor' until the code is given; null for a complete session.
  await db.schema.alterTable('sessions').addColumn('pending', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('factor_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index recovery_codes_user on recovery_codes (user_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recovery_codes').execute();
  for (const column of ['user_agent', 'pending', 'factor_failures']) await db.schema.alterTable('sessions').dropColumn(column).execute();
  for (const column of ['must_change_password', 'totp_secret', 'totp_enabled_at', 'totp_last_step']) await db.schema.alterTable('users').dropColumn(column).execute();
}
