// A staff member's console language (users.language): one of ours, or null
// to follow the browser (cookie lng, then Accept-Language). A display
// preference, not a change to anyone's records, so it is not audited.
import type { DB } from '~/server/db.server';
import { isLanguage, type Language } from '~/i18n/config';
import type { StaffUser } from '~/server/session.server';

export async function getUserLanguage(db: DB, userId: number): Promise<Language | null> {
  const row = await db.selectFrom('users').select('language').where('id', '=', userId).executeTakeFirst();
  return row && isLanguage(row.language) ? row.language : null;
}

export async function updateOwnLanguage(db: DB, user: StaffUser, language: Language | null): Promise<void> {
  await db.updateTable('users').set({ language }).where('id', '=', user.id).execute();
}
