// Recording a phone, post or visit opinion against a real SQLite database:
// the opinion, its mail and its audit row commit together or not at all; the
// postal address is a field of the opinion (no longer a note); the
// acknowledgement reads it back as a letter.
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../db/migrations';
import { getOpinionAcknowledgement, recordOfflineOpinion, type OfflineOpinionInput } from '~/models/opinion-records.server';
import { importNotice } from '~/models/notices.server';
import { openDatabase } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { BUNDLED_NOTICE_PATH, BUNDLED_SLUG, createTestDb, tempDir } from '../helpers/db';
import { onPostgres } from '../helpers/postgres';

let t: Awaited<ReturnType<typeof createTestDb>>;
let clerk: StaffUser;
let seq = 0;

const ISSUER = '中国共産党嘉興市秀洲区委員会';
const MAILBOX = '嘉興市秀洲区洪興路1765号秀洲区行政センター527室';

function input(over: Partial<OfflineOpinionInput> = {}): OfflineOpinionInput {
  seq += 1;
  return {
    channel: 'phone',
    receivedAt: new Date('2026-11-20T01:30:00Z'),
    reportId: 1,
    sectionNumber: 5,
    itemNumber: 2,
    body: `電話で受けた意見です。公園の街灯を増やしてほしいとのこと。(${seq})`,
    name: '電話 太郎',
    email: null,
    phone: '0573-1234-5678',
    address: '嘉興市秀洲区 新城路123号 4幢501室',
    replyWanted: true,
    publicOk: false,
    formToken: `offline-token-${seq}-xxxx`,
    ...over,
  };
}

async function countRows(table: 'opinions' | 'audit_log' | 'outbox_messages' | 'opinion_notes') {
  return Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  t = await createTestDb();
  const row = await t.db
    .insertInto('users')
    .values({ email: 'clerk@example.jp', display_name: '受付 花子', role: 'staff', password_hash: 'x', created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  clerk = { id: row.id, email: 'clerk@example.jp', displayName: '受付 花子', role: 'staff' };
});
afterAll(() => t.close());

describe('recordOfflineOpinion', () => {
  it('stores the address as a field, with the opinion, its office mail and one audit row, and no note', async () => {
    const created = await recordOfflineOpinion(t.db, clerk, input());
    expect(created.duplicate).toBe(false);
    const row = await t.db.selectFrom('opinions').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      address: '嘉興市秀洲区 新城路123号 4幢501室',
      channel: 'phone',
      consent: 1,
      recorded_by_id: clerk.id,
      client_hash: null,
      received_at: '2026-11-20T01:30:00.000Z',
    });
    const audit = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', String(created.id)).execute();
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([['opinion.record', clerk.id]]);
    expect(JSON.parse(audit[0].after_json ?? '{}')).toMatchObject({ trackingNumber: created.trackingNumber, channel: 'phone' });
    expect(await t.db.selectFrom('opinion_notes').select('id').where('opinion_id', '=', created.id).execute()).toEqual([]);
    const mail = await t.db.selectFrom('outbox_messages').select('kind').where('opinion_id', '=', created.id).execute();
    expect(mail.map((m) => m.kind)).toContain('office_notification');
  });

  it('writes nothing when the audit row cannot be written', async () => {
    const before = await Promise.all([countRows('opinions'), countRows('audit_log'), countRows('outbox_messages')]);
    if (onPostgres) {
      await sql`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`.execute(t.db);
      await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(t.db);
    } else {
      await sql`create trigger refuse_audit before insert on audit_log begin select raise(abort, 'audit refused'); end`.execute(t.db);
    }
    try {
      await expect(recordOfflineOpinion(t.db, clerk, input())).rejects.toThrow(/audit refused/);
    } finally {
      if (onPostgres) {
        await sql`drop trigger refuse_audit on audit_log`.execute(t.db);
        await sql`drop function refuse_audit()`.execute(t.db);
      } else {
        await sql`drop trigger refuse_audit`.execute(t.db);
      }
    }
    expect(await Promise.all([countRows('opinions'), countRows('audit_log'), countRows('outbox_messages')])).toEqual(before);
  });

  it('returns the first opinion for the same form posted twice, and audits it once', async () => {
    const fields = input();
    const first = await recordOfflineOpinion(t.db, clerk, fields);
    const again = await recordOfflineOpinion(t.db, clerk, fields);
    expect(again).toEqual({ ...first, duplicate: true });
    const audit = await t.db.selectFrom('audit_log').select('id').where('entity_id', '=', String(first.id)).execute();
    expect(audit).toHaveLength(1);
  });

  it('treats the same text with another postal address as another opinion', async () => {
    const fields = input();
    const first = await recordOfflineOpinion(t.db, clerk, fields);
    const other = await recordOfflineOpinion(t.db, clerk, { ...fields, address: '嘉興市秀洲区 別の路9号' });
    expect(other.duplicate).toBe(false);
    expect(other.id).not.toBe(first.id);
  });
});

describe('getOpinionAcknowledgement', () => {
  it('reads the letter: addressee, sender from the notice, target and dates, in camelCase', async () => {
    const created = await recordOfflineOpinion(t.db, clerk, input({ channel: 'post' }));
    const ack = await getOpinionAcknowledgement(t.db, created.id);
    expect(ack).toMatchObject({
      id: created.id,
      trackingNumber: created.trackingNumber,
      channel: 'post',
      replyWanted: true,
      recipient: { name: '電話 太郎', address: '嘉興市秀洲区 新城路123号 4幢501室' },
      sender: { issuer: ISSUER, mailbox: MAILBOX, phone: '0573-827222911' },
      target: { sectionNumber: 5, itemNumber: 2 },
    });
    expect(ack?.target.sectionTitle).toContain('主体責任履行が不十分');
    expect(ack?.target.itemHeading).toBeTruthy();
    expect(await getOpinionAcknowledgement(t.db, 999_999)).toBeNull();
  });
});

describe('the address migration', () => {
  it('copies an address kept as a note before the column existed, and keeps the note', async () => {
    const file = path.join(tempDir(), 'before.db');
    const { db } = openDatabase(file);
    try {
      const migrator = new Migrator({ db, provider: migrationProvider });
      const down = await migrator.migrateTo('2026-11-27-0003-fts-automerge');
      expect(down.error).toBeUndefined();
      await importNotice(db, fs.readFileSync(BUNDLED_NOTICE_PATH), BUNDLED_SLUG);
      const now = new Date().toISOString();
      const old = db as unknown as import('kysely').Kysely<any>;
      await old.insertInto('users').values({ email: 'a@example.jp', display_name: 'a', role: 'staff', password_hash: 'x', created_at: now }).execute();
      for (const [n, note] of [
        [1, '郵送先の住所:嘉興市秀洲区○○路1号'],
        [2, '電話で確認済み'],
      ] as const) {
        await old
          .insertInto('opinions')
          .values({
            tracking_number: `XZ-2026-MIGR-000${n}`,
            receipt_token: `migration-receipt-token-${n}-xxxxxx`,
            report_id: 1,
            section_number: 3,
            body: '移行前に記録された意見です。',
            channel: 'post',
            received_at: now,
            due_at: now,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await old.insertInto('opinion_notes').values({ opinion_id: n, author_id: 1, body: note, created_at: now }).execute();
      }
      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      const rows = await db.selectFrom('opinions').select(['id', 'address']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 1, address: '嘉興市秀洲区○○路1号' },
        { id: 2, address: null },
      ]);
      expect(await db.selectFrom('opinion_notes').select('id').execute()).toHaveLength(2);
    } finally {
      await db.destroy();
    }
  });
});
