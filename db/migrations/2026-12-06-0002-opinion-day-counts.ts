// Frozen: never edit a migration that has landed; add a new one instead.
// The staff dashboard counted a million opinions on every view: by channel
// from the opinions_report_tally index (~0.2 s) and by week over the last
// twelve weeks' rows (~0.15 s), 392 ms in all at p95. opinion_day_counts holds
// opinions per office day (Asia/Shanghai, UTC+8 all year: the day's first
// moment is 16:00 UTC the day before) and channel, kept by triggers in the
// opinion's own transaction like opinion_counts, so both figures sum a few
// hundred rows. The dashboard's weeks start on an office day, so whole days
// add up to whole weeks.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';

/** The office day of a stored UTC ISO time (SQLite). */
const day = (column: string) => sql.raw(`date(${column}, '+8 hours')`);

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return upPostgres(db);
  await db.transaction().execute(async (trx) => {
    await sql`create table opinion_day_counts (
      day text not null, channel text not null, n integer not null,
      primary key (day, channel)
    ) without rowid`.execute(trx);
    await sql`insert into opinion_day_counts(day, channel, n)
      select ${day('received_at')}, channel, count(*) from opinions group by 1, 2`.execute(trx);
    await sql`create trigger opinion_day_counts_ai after insert on opinions begin
      insert into opinion_day_counts(day, channel, n) values (${day('new.received_at')}, new.channel, 1)
      on conflict(day, channel) do update set n = n + 1;
    end`.execute(trx);
    await sql`create trigger opinion_day_counts_au after update of received_at, channel on opinions
    when ${day('old.received_at')} is not ${day('new.received_at')} or old.channel is not new.channel begin
      update opinion_day_counts set n = n - 1 where day = ${day('old.received_at')} and channel = old.channel;
      insert into opinion_day_counts(day, channel, n) values (${day('new.received_at')}, new.channel, 1)
      on conflict(day, channel) do update set n = n + 1;
    end`.execute(trx);
    await sql`create trigger opinion_day_counts_ad after delete on opinions begin
      update opinion_day_counts set n = n - 1 where day = ${day('old.received_at')} and channel = old.channel;
    end`.execute(trx);
  });
}

/** The office day of a stored UTC ISO time, whatever the session's time zone. */
const pgDay = (column: string) =>
  sql.raw(`to_char((${column}::timestamptz at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')`);

async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`create table opinion_day_counts (
    day text not null, channel text not null, n integer not null,
    primary key (day, channel)
  )`.execute(db);
  await sql`insert into opinion_day_counts(day, channel, n)
    select ${pgDay('received_at')}, channel, count(*) from opinions group by 1, 2`.execute(db);
  await sql`create function opinion_day_counts_keep() returns trigger language plpgsql as $$
  begin
    if tg_op in ('UPDATE', 'DELETE') then
      update opinion_day_counts set n = n - 1 where day = ${pgDay('old.received_at')} and channel = old.channel;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
      insert into opinion_day_counts(day, channel, n) values (${pgDay('new.received_at')}, new.channel, 1)
      on conflict (day, channel) do update set n = opinion_day_counts.n + 1;
    end if;
    return null;
  end $$`.execute(db);
  await sql`create trigger opinion_day_counts_aid after insert or delete on opinions
    for each row execute function opinion_day_counts_keep()`.execute(db);
  await sql`create trigger opinion_day_counts_au after update of received_at, channel on opinions for each row
    when (${pgDay('old.received_at')} is distinct from ${pgDay('new.received_at')} or old.channel is distinct from new.channel)
    execute function opinion_day_counts_keep()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop table opinion_day_counts`.execute(db);
    await sql`drop function opinion_day_counts_keep cascade`.execute(db);
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const trigger of ['opinion_day_counts_ad', 'opinion_day_counts_au', 'opinion_day_counts_ai']) {
      await sql`drop trigger ${sql.raw(trigger)}`.execute(trx);
    }
    await sql`drop table opinion_day_counts`.execute(trx);
  });
}
