// Frozen: never edit a migration that has landed; add a new one instead.
// Search at a million opinions, and opinions stored without indexing their
// text in the citizen's transaction (decision 013):
// - opinions_search_queue: opinions whose text is not in the search indexes
//   yet. A new or edited opinion is queued by a trigger; the writer thread
//   indexes the queue within a second; searches read queued rows directly.
// - opinions_grams: single characters and pairs, for searches of 1–2
//   characters that trigram cannot serve. Its documents are made in JS
//   (app/models/search-index.server.ts), so it has no content of its own.
// - opinion_counts: opinions per status and due day, kept by triggers, so that
//   the inbox's counts and "overdue" never count a million rows.
// - opinion_section_counts: opinions per report and section, kept by triggers,
//   for the report page's table of contents.
// - opinions.content_key: a hash of what an opinion says (set by the app), so
//   that the double-submission check looks up one client's identical opinions
//   instead of reading every opinion that client sent in ten minutes.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return upPostgres(db);
  await sql`create table opinions_search_queue (opinion_id integer primary key)`.execute(db);
  await sql`create virtual table opinions_grams using fts5(
    grams, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
  )`.execute(db);

  // Both indexes now hold exactly the opinions that are not queued.
  await sql`drop trigger opinions_fts_ai`.execute(db);
  await sql`drop trigger opinions_fts_au`.execute(db);
  await sql`drop trigger opinions_fts_ad`.execute(db);
  await sql`create trigger opinions_search_ai after insert on opinions begin
    insert into opinions_search_queue(opinion_id) values (new.id);
  end`.execute(db);
  await sql`create trigger opinions_search_au after update of body, name, tracking_number on opinions
  when not exists (select 1 from opinions_search_queue where opinion_id = old.id) begin
    insert into opinions_fts(opinions_fts, rowid, body, name, tracking_number)
    values ('delete', old.id, old.body, coalesce(old.name, ''), old.tracking_number);
    delete from opinions_grams where rowid = old.id;
    insert into opinions_search_queue(opinion_id) values (new.id);
  end`.execute(db);
  await sql`create trigger opinions_search_ad after delete on opinions begin
    insert into opinions_fts(opinions_fts, rowid, body, name, tracking_number)
    select 'delete', old.id, old.body, coalesce(old.name, ''), old.tracking_number
    where not exists (select 1 from opinions_search_queue where opinion_id = old.id);
    delete from opinions_grams where rowid = old.id;
    delete from opinions_search_queue where opinion_id = old.id;
  end`.execute(db);
  // Opinions stored before this migration have no grams yet: every one is
  // queued (and taken out of the trigram index, which the queue now means).
  await sql`insert into opinions_fts(opinions_fts) values ('delete-all')`.execute(db);
  await sql`insert into opinions_search_queue(opinion_id) select id from opinions`.execute(db);

  // Due days are UTC date prefixes of due_at: a day before today's is wholly past.
  await sql`create table opinion_counts (
    status text not null, due_day text not null, n integer not null,
    primary key (status, due_day)
  ) without rowid`.execute(db);
  await sql`insert into opinion_counts(status, due_day, n)
    select status, substr(due_at, 1, 10), count(*) from opinions group by 1, 2`.execute(db);
  await sql`create trigger opinion_counts_ai after insert on opinions begin
    insert into opinion_counts(status, due_day, n) values (new.status, substr(new.due_at, 1, 10), 1)
    on conflict(status, due_day) do update set n = n + 1;
  end`.execute(db);
  await sql`create trigger opinion_counts_au after update of status, due_at on opinions
  when old.status is not new.status or substr(old.due_at, 1, 10) is not substr(new.due_at, 1, 10) begin
    update opinion_counts set n = n - 1 where status = old.status and due_day = substr(old.due_at, 1, 10);
    insert into opinion_counts(status, due_day, n) values (new.status, substr(new.due_at, 1, 10), 1)
    on conflict(status, due_day) do update set n = n + 1;
  end`.execute(db);
  await sql`create trigger opinion_counts_ad after delete on opinions begin
    update opinion_counts set n = n - 1 where status = old.status and due_day = substr(old.due_at, 1, 10);
  end`.execute(db);

  // The inbox filtered by status and section over dates, newest first, and its
  // counts per status for a section over dates (read from the index alone).
  await sql`create index opinions_status_section on opinions(status, section_number, received_at)`.execute(db);
  await sql`create index opinions_section_received on opinions(section_number, received_at, status)`.execute(db);

  // Opinions per report and section, for the report page's table of contents
  // (counting a million opinions took ~0.5 s on each render).
  await sql`create table opinion_section_counts (
    report_id integer not null, section_number integer not null, n integer not null,
    primary key (report_id, section_number)
  ) without rowid`.execute(db);
  await sql`insert into opinion_section_counts(report_id, section_number, n)
    select report_id, section_number, count(*) from opinions group by 1, 2`.execute(db);
  await sql`create trigger opinion_section_counts_ai after insert on opinions begin
    insert into opinion_section_counts(report_id, section_number, n) values (new.report_id, new.section_number, 1)
    on conflict(report_id, section_number) do update set n = n + 1;
  end`.execute(db);
  await sql`create trigger opinion_section_counts_au after update of report_id, section_number on opinions
  when old.report_id is not new.report_id or old.section_number is not new.section_number begin
    update opinion_section_counts set n = n - 1 where report_id = old.report_id and section_number = old.section_number;
    insert into opinion_section_counts(report_id, section_number, n) values (new.report_id, new.section_number, 1)
    on conflict(report_id, section_number) do update set n = n + 1;
  end`.execute(db);
  await sql`create trigger opinion_section_counts_ad after delete on opinions begin
    update opinion_section_counts set n = n - 1 where report_id = old.report_id and section_number = old.section_number;
  end`.execute(db);

  // Rows stored before have none: at most one double submission around the upgrade goes uncaught.
  await sql`alter table opinions add column content_key text`.execute(db);
  await sql`create index opinions_client_content on opinions(client_hash, content_key, created_at) where content_key is not null`.execute(db);
}

/**
 * PostgreSQL searches opinions through pg_trgm indexes kept in the same
 * transaction (no queue, no grams table: an empty queue keeps the models'
 * "queued rows" lookups valid); the counts are kept by PL/pgSQL triggers.
 */
async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`create table opinions_search_queue (opinion_id integer primary key)`.execute(db);

  await sql`create table opinion_counts (
    status text not null, due_day text not null, n integer not null,
    primary key (status, due_day)
  )`.execute(db);
  await sql`insert into opinion_counts(status, due_day, n)
    select status, substr(due_at, 1, 10), count(*) from opinions group by 1, 2`.execute(db);
  await sql`create function opinion_counts_keep() returns trigger language plpgsql as $$
  begin
    if tg_op in ('UPDATE', 'DELETE') then
      update opinion_counts set n = n - 1 where status = old.status and due_day = substr(old.due_at, 1, 10);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
      insert into opinion_counts(status, due_day, n) values (new.status, substr(new.due_at, 1, 10), 1)
      on conflict (status, due_day) do update set n = opinion_counts.n + 1;
    end if;
    return null;
  end $$`.execute(db);
  await sql`create trigger opinion_counts_aid after insert or delete on opinions
    for each row execute function opinion_counts_keep()`.execute(db);
  await sql`create trigger opinion_counts_au after update of status, due_at on opinions for each row
    when (old.status is distinct from new.status or substr(old.due_at, 1, 10) is distinct from substr(new.due_at, 1, 10))
    execute function opinion_counts_keep()`.execute(db);

  await sql`create index opinions_status_section on opinions(status, section_number, received_at)`.execute(db);
  await sql`create index opinions_section_received on opinions(section_number, received_at, status)`.execute(db);

  await sql`create table opinion_section_counts (
    report_id integer not null, section_number integer not null, n integer not null,
    primary key (report_id, section_number)
  )`.execute(db);
  await sql`insert into opinion_section_counts(report_id, section_number, n)
    select report_id, section_number, count(*) from opinions group by 1, 2`.execute(db);
  await sql`create function opinion_section_counts_keep() returns trigger language plpgsql as $$
  begin
    if tg_op in ('UPDATE', 'DELETE') then
      update opinion_section_counts set n = n - 1 where report_id = old.report_id and section_number = old.section_number;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
      insert into opinion_section_counts(report_id, section_number, n) values (new.report_id, new.section_number, 1)
      on conflict (report_id, section_number) do update set n = opinion_section_counts.n + 1;
    end if;
    return null;
  end $$`.execute(db);
  await sql`create trigger opinion_section_counts_aid after insert or delete on opinions
    for each row execute function opinion_section_counts_keep()`.execute(db);
  await sql`create trigger opinion_section_counts_au after update of report_id, section_number on opinions for each row
    when (old.report_id is distinct from new.report_id or old.section_number is distinct from new.section_number)
    execute function opinion_section_counts_keep()`.execute(db);

  await sql`alter table opinions add column content_key text`.execute(db);
  await sql`create index opinions_client_content on opinions(client_hash, content_key, created_at) where content_key is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const table of ['opinion_section_counts', 'opinion_counts', 'opinions_search_queue']) await sql`drop table ${sql.table(table)}`.execute(db);
    await sql`drop function opinion_section_counts_keep cascade`.execute(db);
    await sql`drop function opinion_counts_keep cascade`.execute(db);
    await sql`drop index opinions_client_content`.execute(db);
    await sql`alter table opinions drop column content_key`.execute(db);
    await sql`drop index opinions_section_received`.execute(db);
    await sql`drop index opinions_status_section`.execute(db);
    return;
  }
  await sql`drop trigger opinion_section_counts_ad`.execute(db);
  await sql`drop trigger opinion_section_counts_au`.execute(db);
  await sql`drop trigger opinion_section_counts_ai`.execute(db);
  await sql`drop table opinion_section_counts`.execute(db);
  await sql`drop index opinions_client_content`.execute(db);
  await sql`alter table opinions drop column content_key`.execute(db);
  await sql`drop index opinions_section_received`.execute(db);
  await sql`drop index opinions_status_section`.execute(db);
  await sql`drop trigger opinion_counts_ad`.execute(db);
  await sql`drop trigger opinion_counts_au`.execute(db);
  await sql`drop trigger opinion_counts_ai`.execute(db);
  await sql`drop table opinion_counts`.execute(db);
  await sql`drop trigger opinions_search_ad`.execute(db);
  await sql`drop trigger opinions_search_au`.execute(db);
  await sql`drop trigger opinions_search_ai`.execute(db);
  await sql`drop table opinions_grams`.execute(db);
  await sql`drop table opinions_search_queue`.execute(db);
  await sql`create trigger opinions_fts_ai after insert on opinions begin
    insert into opinions_fts(rowid, body, name, tracking_number)
    values (new.id, new.body, coalesce(new.name, ''), new.tracking_number);
  end`.execute(db);
  await sql`create trigger opinions_fts_ad after delete on opinions begin
    insert into opinions_fts(opinions_fts, rowid, body, name, tracking_number)
    values ('delete', old.id, old.body, coalesce(old.name, ''), old.tracking_number);
  end`.execute(db);
  await sql`create trigger opinions_fts_au after update of body, name, tracking_number on opinions begin
    insert into opinions_fts(opinions_fts, rowid, body, name, tracking_number)
    values ('delete', old.id, old.body, coalesce(old.name, ''), old.tracking_number);
    insert into opinions_fts(rowid, body, name, tracking_number)
    values (new.id, new.body, coalesce(new.name, ''), new.tracking_number);
  end`.execute(db);
  await sql`insert into opinions_fts(opinions_fts) values ('rebuild')`.execute(db);
}
