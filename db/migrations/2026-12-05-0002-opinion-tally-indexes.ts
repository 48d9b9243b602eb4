// Frozen: never edit a migration that has landed; add a new one instead.
// The public results board, the staff dashboard and the notices list counted
// opinions by reading each one's row: at a million opinions the board took
// 10 s, the dashboard 3 s and the list of notices 3 s, each on the server's
// event loop. Indexes let them count from the index alone:
// - opinions_report_tally (report, section, measure, channel, status,
//   deadline) takes the place of opinions_section (report, section, measure),
//   its first three columns: the board's counts per section, measure and
//   channel and its "due so far" read the index alone (87 + 122 ms at a
//   million, not 3 s each), the dashboard counts channels from it, and an
//   opinion's insert updates as many indexes as before;
// - opinions_outside_period: the few opinions sent outside a comment period,
//   which the notices list counts per notice;
// - opinions_received, the inbox's order, also holds each opinion's status
//   and deadline: the "overdue" filter walks it newest first and reads only
//   the rows it shows (10 ms at a million), where the database sorted every
//   overdue opinion (3 s).
// Both engines run the same statements, each migration in one transaction.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';

/**
 * In one transaction on SQLite too (Kysely runs PostgreSQL's migrations in
 * one already): a crash between two statements would leave an index made and
 * the migration unrecorded, and the next start would fail on it.
 */
function atomically(db: Kysely<any>, run: (db: Kysely<any>) => Promise<void>): Promise<void> {
  return isPostgres(db) ? run(db) : db.transaction().execute(run);
}

export async function up(db: Kysely<any>): Promise<void> {
  await atomically(db, async (trx) => {
    await sql`create index opinions_report_tally on opinions(report_id, section_number, item_number, channel, status, due_at)`.execute(trx);
    await sql`drop index opinions_section`.execute(trx);
    await sql`create index opinions_outside_period on opinions(report_id) where outside_period = 1`.execute(trx);
    await sql`drop index opinions_received`.execute(trx);
    await sql`create index opinions_received on opinions(received_at, id, status, due_at)`.execute(trx);
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await atomically(db, async (trx) => {
    await sql`drop index opinions_received`.execute(trx);
    await sql`create index opinions_received on opinions(received_at, id)`.execute(trx);
    await sql`drop index opinions_outside_period`.execute(trx);
    await sql`create index opinions_section on opinions(report_id, section_number, item_number)`.execute(trx);
    await sql`drop index opinions_report_tally`.execute(trx);
  });
}
