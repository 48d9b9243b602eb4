import { countReports } from '~/models/notices.server';
import { countBouncesSince } from '~/models/mail-events.server';
import { getDb } from '~/server/db.server';
import { countOutbox } from '~/mail/outbox.server';
import { getEnv } from '~/utils/env.server';

const DAY_MS = 24 * 3600_000;

export async function loader() {
  const dialect = getEnv().DATABASE_URL ? 'postgres' : 'sqlite';
  let outbox: { pending: number; failed: number; bounced24h: number };
  try {
    await countReports(getDb());
    outbox = { ...(await countOutbox(getDb())), bounced24h: await countBouncesSince(getDb(), new Date(Date.now() - DAY_MS)) };
  } catch {
    return Response.json({ status: 'error', db: 'error', dialect }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
  return Response.json({ status: 'ok', db: 'ok', dialect, outbox }, { headers: { 'Cache-Control': 'no-store' } });
}
