// Frozen: never edit a migration that has landed; add a new one instead.
// The postal address for answering by post (phone, post and visit opinions)
// becomes a contact detail of the opinion, like its email and phone, so that
// the acknowledgement can be addressed to it. Until now it was kept as an
// internal note "郵送先の住所:…": those notes are copied in (and kept).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('opinions').addColumn('address', 'text').execute();
  await sql`update opinions set address = (
      select substr(n.body, 8) from opinion_notes n
      where n.opinion_id = opinions.id and n.body like '郵送先の住所:%'
      order by n.id limit 1
    ) where exists (select 1 from opinion_notes n where n.opinion_id = opinions.id and n.body like '郵送先の住所:%')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('opinions').dropColumn('address').execute();
}
