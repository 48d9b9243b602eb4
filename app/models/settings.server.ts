import type { DB } from '~/server/db.server';

/**
 * The stored value of `key`; when there is none yet, `fresh` is stored and
 * returned. Of two processes starting together the first writer wins, and
 * both return its value.
 */
export async function getOrCreateSetting(db: DB, key: string, fresh: string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value: fresh })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
