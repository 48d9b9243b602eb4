import { countReports } from '~/models/notices.server';
import { getDb } from '~/server/db.server';
import { countOutbox } from '~/mail/outbox.server';

export async function loader() {
  let outbox: { pending: number; failed: number };
  try {
    await countReports(getDb());
    outbox = await countOutbox(getDb());
  } catch {
    return Response.json({ status: 'error', db: 'error' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
  return Response.json({ status: 'ok', db: 'ok', outbox }, { headers: { 'Cache-Control': 'no-store' } });
}
