// Deadline reminders and escalation with an explicit clock, against a real
// database: the unit is reminded three working days before the due date and on
// it (from DIGEST_HOUR, Asia/Shanghai), ESCALATION_EMAIL gets the overdue list
// per unit the day after, each once per opinion and stage, and every message
// shows in the opinion's mail table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeMailConfig } from '~/mail/digest.server';
import { runReminders } from '~/mail/reminders.server';
import { getOpinionForStaff } from '~/models/opinion-detail.server';
import type { DB } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let db: DB;
let config: OfficeMailConfig;
const MONDAY_DUE = '2026-12-07T15:59:59.999Z';
const ids: Record<string, number> = {};
const tracking: Record<string, string> = {};

/** A Shanghai wall-clock time as a Date. */
const at = (local: string) => new Date(`${local}:00+08:00`);

async function insertOpinion(key: string, fields: { unitId: number | null; status?: 'new' | 'in_progress' | 'answered'; dueAt?: string }) {
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const now = '2026-11-16T02:00:00.000Z';
  const row = await db
    .insertInto('opinions')
    .values({
      tracking_number: `XZ-2026-REMD-000${Object.keys(ids).length}`,
      receipt_token: `reminder-token-${key}-abcdefghijklmnop`,
      report_id: reportId,
      section_number: 4,
      item_number: 1,
      body: `${key}の意見本文です。`,
      channel: 'web',
      status: fields.status ?? 'in_progress',
      unit_id: fields.unitId,
      received_at: now,
      due_at: fields.dueAt ?? MONDAY_DUE,
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'tracking_number'])
    .executeTakeFirstOrThrow();
  ids[key] = row.id;
  tracking[key] = row.tracking_number;
}

async function messages(kind: string) {
  return db.selectFrom('outbox_messages').selectAll().where('kind', '=', kind).orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  config = { ...getEnv(), DIGEST_HOUR: 9, ESCALATION_EMAIL: 'chief@example.gov', PUBLIC_URL: 'https://ikenbako.example.org' };
  const unit = async (name: string, email: string | null) =>
    (await db.insertInto('units').values({ name, email, retired_at: null, created_at: '2026-01-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()).id;
  const planning = await unit('企画課', 'kikaku@example.gov');
  const noAddress = await unit('住民課', null);
  await insertOpinion('one', { unitId: planning });
  await insertOpinion('two', { unitId: planning, status: 'new' });
  await insertOpinion('unassigned', { unitId: null });
  await insertOpinion('answered', { unitId: planning, status: 'answered' });
  await insertOpinion('noAddress', { unitId: noAddress });
});
afterAll(async () => {
  await t.close();
});

describe('reminders', () => {
  it('sends nothing four working days before, nor before DIGEST_HOUR', async () => {
    expect(await runReminders(db, at('2026-12-01T09:30'), config)).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 0 });
    expect(await runReminders(db, at('2026-12-02T08:59'), config)).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 0 });
  });

  it('reminds the unit three working days before the due date, once', async () => {
    // Wednesday: Thursday, Friday, Monday.
    expect(await runReminders(db, at('2026-12-02T09:00'), config)).toEqual({ reminderBefore: 2, reminderDue: 0, escalations: 0 });
    expect(await runReminders(db, at('2026-12-02T15:00'), config)).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 0 });
    expect(await runReminders(db, at('2026-12-04T09:00'), config)).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 0 });
    const sent = await messages('unit_reminder_before');
    expect(sent.map((m) => [m.opinion_id, m.recipient])).toEqual([
      [ids.one, 'kikaku@example.gov'],
      [ids.two, 'kikaku@example.gov'],
    ]);
    expect(sent[0].subject).toBe(`[回答期限 2026年12月7日 ${tracking.one}] 企画課`);
    expect(sent[0].text_body).toContain('3営業日後に迫っています');
    expect(sent[0].text_body).toContain('https://ikenbako.example.org/staff/opinions/' + ids.one);
    expect(sent[0].text_body).toContain('oneの意見本文です。');
  });

  it('reminds the unit on the due date, once', async () => {
    expect(await runReminders(db, at('2026-12-07T08:00'), config)).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 0 });
    expect(await runReminders(db, at('2026-12-07T09:10'), config)).toEqual({ reminderBefore: 0, reminderDue: 2, escalations: 0 });
    expect(await runReminders(db, at('2026-12-07T23:59'), config)).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 0 });
    const [due] = await messages('unit_reminder_due');
    expect(due.subject).toBe(`[本日が回答期限 ${tracking.one}] 企画課`);
  });

  it('escalates the overdue opinions per unit the day after, once, only when ESCALATION_EMAIL is set', async () => {
    expect(await runReminders(db, at('2026-12-08T09:00'), { ...config, ESCALATION_EMAIL: undefined })).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 0 });
    expect(await runReminders(db, at('2026-12-08T09:00'), config)).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 3 });
    expect(await runReminders(db, at('2026-12-09T09:00'), config)).toEqual({ reminderBefore: 0, reminderDue: 0, escalations: 0 });
    const sent = await messages('overdue_escalation');
    expect(sent.every((m) => m.recipient === 'chief@example.gov' && m.opinion_id === null)).toBe(true);
    const planning = sent.find((m) => m.subject === '[期限超過 2件] 企画課')!;
    expect(planning.text_body).toContain(tracking.one);
    expect(planning.text_body).toContain(tracking.two);
    expect(planning.text_body).not.toContain(tracking.answered);
    expect(sent.map((m) => m.subject).sort()).toEqual(['[期限超過 1件] 住民課', '[期限超過 1件] 担当部署未定', '[期限超過 2件] 企画課']);
  });

  it('never reminds about a settled opinion', async () => {
    const all = await db.selectFrom('outbox_messages').select('opinion_id').execute();
    expect(all.map((m) => m.opinion_id)).not.toContain(ids.answered);
    const stages = await db.selectFrom('opinion_mail_stages').select('opinion_id').where('opinion_id', '=', ids.answered).execute();
    expect(stages).toEqual([]);
  });

  it('shows each reminder and escalation in the opinion’s mail table', async () => {
    const view = await getOpinionForStaff(db, ids.one);
    expect(view!.messages.map((m) => m.kind)).toEqual(['unit_reminder_before', 'unit_reminder_due', 'overdue_escalation']);
    const unassigned = await getOpinionForStaff(db, ids.unassigned);
    expect(unassigned!.messages.map((m) => [m.kind, m.subject])).toEqual([['overdue_escalation', '[期限超過 1件] 担当部署未定']]);
  });
});
