// The server runs the retention once just after it starts (and then daily):
// started on a database holding an opinion settled long ago, it anonymises
// that one, leaves a recently settled one alone, and audits the run as the
// system. The test waits for the run's log line, not for a clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '~/server/db.server';
import { openDatabase } from '~/server/db.server';
import { createTestDb } from '../helpers/db';
import { dropPostgresDatabase, onPostgres } from '../helpers/postgres';
import { startTestServer, type TestServer } from '../helpers/server';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

let server: TestServer;
let db: DB;
let seededFile: string | undefined;
const ids: Record<'old' | 'recent', number> = { old: 0, recent: 0 };

async function insertSettled(target: DB, label: string, settledDaysAgo: number): Promise<number> {
  const reportId = (await target.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const at = daysAgo(settledDaysAgo + 10);
  const { id } = await target
    .insertInto('opinions')
    .values({
      tracking_number: `XZ-2024-TIME-${label.toUpperCase().padEnd(4, '0').slice(0, 4)}`,
      receipt_token: `retention-timer-${label}-receipt-token`,
      report_id: reportId,
      section_number: 2,
      item_number: null,
      body: `バス停に屋根をつけてください。(${label})`,
      name: `保存 ${label}`,
      email: `${label}@example.jp`,
      phone: '090-2222-3333',
      channel: 'web',
      status: 'closed',
      received_at: at,
      due_at: at,
      client_hash: 'f00d',
      user_agent: 'Mozilla/5.0',
      created_at: at,
      updated_at: daysAgo(settledDaysAgo),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

beforeAll(async () => {
  const seeded = await createTestDb();
  // RETENTION_MONTHS=12: settled 400 days ago has passed it, 300 days ago has not.
  ids.old = await insertSettled(seeded.db, 'old', 400);
  ids.recent = await insertSettled(seeded.db, 'recent', 300);
  // Closed without dropping it (on PostgreSQL close() drops the database): the server uses it.
  await seeded.db.destroy();
  seededFile = seeded.file;
  server = await startTestServer({ DATABASE_PATH: seeded.file, RETENTION_MONTHS: '12' });
  db = openDatabase(server.databasePath).db;
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
  if (onPostgres && seededFile) await dropPostgresDatabase(seededFile);
});

async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the daily retention run in the server', () => {
  it('runs once at start: anonymises the opinion settled before the cutoff, audited as the system', async () => {
    const line = await waitFor('the retention log line', () =>
      server
        .logs()
        .split('\n')
        .find((l) => l.includes('"msg":"retention"')),
    );
    expect(JSON.parse(line)).toMatchObject({ level: 'info', months: 12, dryRun: false, opinions: 1 });

    const old = await db.selectFrom('opinions').selectAll().where('id', '=', ids.old).executeTakeFirstOrThrow();
    expect(old).toMatchObject({
      name: null,
      email: null,
      phone: null,
      client_hash: null,
      user_agent: null,
      personal_data_removed_reason: 'retention',
      body: 'バス停に屋根をつけてください。(old)',
      status: 'closed',
    });
    const recent = await db.selectFrom('opinions').selectAll().where('id', '=', ids.recent).executeTakeFirstOrThrow();
    expect(recent).toMatchObject({ name: '保存 recent', email: 'recent@example.jp', personal_data_removed_at: null });

    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'opinion.retention').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: null, actor_label: 'system' });
    expect(JSON.parse(audit[0].after_json!)).toMatchObject({ months: 12, opinions: 1 });
  });

  it('stops cleanly with the server', async () => {
    expect(await server.stop()).toBe(0);
  });
});
