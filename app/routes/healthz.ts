import { sql } from 'kysely';
import { getDb } from '~/utils/db.server';

export async function loader() {
  try {
    await sql`select count(*) from reports`.execute(getDb());
  } catch {
    return Response.json({ status: 'error', db: 'error' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
  return Response.json({ status: 'ok', db: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
