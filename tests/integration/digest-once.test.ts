// The office's daily digest against a real database: what it lists, that it
// waits for DIGEST_HOUR (Asia/Shanghai), that two connections racing and a
// restart still make exactly one per day, and that OFFICE_MAIL_MODE=digest
// stops the per-opinion office mail but not the citizen's acknowledgement.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
process.env.OFFICE_MAIL_MODE = 'digest';
import { runDigest, type OfficeMailConfig } from '~/mail/digest.server';
import { createOpinion } from '~/models/opinions.server';
import { openDatabase, type DB } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { createTestDb } from '../helpers/db';

const PUBLIC_URL = 'https://ikenbako.example.org';
let t: Awaited<ReturnType<typeof createTestDb>>;
let db: DB;
let reportId: number;
let config: OfficeMailConfig;

// Wednesday 2 December 2026, 09:00 in Shanghai.
const WED_0900 = new Date('2026-12-02T01:00:00Z');
const LONG_BODY = `${'あ'.repeat(119)}いうえお、この先は一覧に出ない。`;

async function addOpinion(fields: { body: string; section?: number; item?: number | null; createdAt: string; dueAt: string; status?: string; unitId?: number | null; email?: string | null }) {
  const created = await createOpinion(db, {
    reportId,
    sectionNumber: fields.section ?? 3,
    itemNumber: fields.item ?? null,
    body: fields.body,
    name: null,
    email: fields.email ?? null,
    phone: null,
    replyWanted: false,
    publicOk: false,
    consent: true,
    channel: 'web',
    receivedAt: new Date(fields.createdAt),
    clientHash: null,
    userAgent: null,
    formToken: null,
    recordedById: null,
  });
  await db
    .updateTable('opinions')
    .set({ created_at: fields.createdAt, due_at: fields.dueAt, status: (fields.status ?? 'new') as 'new', unit_id: fields.unitId ?? null })
    .where('id', '=', created.id)
    .execute();
  return created;
}

/** runDigest in a separate node process (a second server, a cron job) against the same file. */
function runDigestInChild(file: string, now: Date, config: OfficeMailConfig): Promise<{ status: string }> {
  const code = `
    import { runDigest } from '~/mail/digest.server';
    import { openDatabase } from '~/server/db.server';
    const { db } = openDatabase(process.env.DATABASE_PATH);
    const outcome = await runDigest(db, new Date(${JSON.stringify(now.toISOString())}), ${JSON.stringify(config)});
    await db.destroy();
    console.log(JSON.stringify(outcome));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: path.resolve(__dirname, '../..'),
      env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_PATH: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`child exited ${code}: ${out}`))));
  });
}

async function digestMessages(database: DB = db) {
  return database.selectFrom('outbox_messages').selectAll().where('kind', '=', 'office_digest').orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  config = { ...getEnv(), OFFICE_MAIL_MODE: 'digest', DIGEST_HOUR: 9, OFFICE_EMAIL: ['office@example.gov'], PUBLIC_URL };
});
afterAll(async () => {
  await t.close();
});

describe('OFFICE_MAIL_MODE=digest', () => {
  it('queues the citizen acknowledgement but no per-opinion office mail', async () => {
    const o = await addOpinion({ body: '受付確認だけが届くはず', email: 'citizen@example.net', createdAt: '2026-11-01T00:00:00.000Z', dueAt: '2026-12-31T15:59:59.999Z', status: 'closed' });
    const kinds = await db.selectFrom('outbox_messages').select('kind').where('opinion_id', '=', o.id).execute();
    expect(kinds.map((k) => k.kind)).toEqual(['citizen_ack']);
  });
});

describe('runDigest', () => {
  let fresh: { id: number; trackingNumber: string };
  let dueSoon: { id: number; trackingNumber: string };
  let overdue: { id: number; trackingNumber: string };
  let later: { id: number; trackingNumber: string };
  let answered: { trackingNumber: string };

  beforeAll(async () => {
    const unitId = (
      await db.insertInto('units').values({ name: '企画課', email: 'kikaku@example.gov', retired_at: null, created_at: '2026-01-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()
    ).id;
    fresh = await addOpinion({ body: LONG_BODY, section: 3, item: 2, createdAt: '2026-12-01T05:00:00.000Z', dueAt: '2026-12-22T15:59:59.999Z', unitId });
    // Due Monday 7 December: within three working days of Wednesday (Thu, Fri, Mon).
    dueSoon = await addOpinion({ body: '期限間近の意見です。', section: 5, createdAt: '2026-11-10T00:00:00.000Z', dueAt: '2026-12-07T15:59:59.999Z', status: 'in_progress' });
    overdue = await addOpinion({ body: '期限を過ぎた意見です。', section: 0, createdAt: '2026-11-02T00:00:00.000Z', dueAt: '2026-11-30T15:59:59.999Z', unitId });
    later = await addOpinion({ body: '期限はまだ先です。', createdAt: '2026-11-11T00:00:00.000Z', dueAt: '2026-12-08T15:59:59.999Z' });
    answered = await addOpinion({ body: '回答済みなので載らない。', createdAt: '2026-11-12T00:00:00.000Z', dueAt: '2026-12-03T15:59:59.999Z', status: 'answered' });
  });

  it('is off in each mode and waits for DIGEST_HOUR in Shanghai', async () => {
    expect(await runDigest(db, WED_0900, { ...config, OFFICE_MAIL_MODE: 'each' })).toEqual({ status: 'off' });
    expect(await runDigest(db, new Date('2026-12-02T00:59:00Z'), config)).toEqual({ status: 'not-yet' });
    expect(await digestMessages()).toHaveLength(0);
  });

  it('lists new opinions by notice and section, those due within 3 working days and those overdue, each with its unit', async () => {
    // Two processes race, as two servers on one database would.
    const outcomes = await Promise.all([runDigestInChild(t.file, WED_0900, config), runDigestInChild(t.file, WED_0900, config)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already-done', 'sent']);
    expect(outcomes.find((o) => o.status === 'sent')).toMatchObject({ newCount: 1, dueSoonCount: 1, overdueCount: 1, messages: 1 });
    const [mail] = await digestMessages();
    expect(mail.recipient).toBe('office@example.gov');
    expect(mail.opinion_id).toBeNull();
    expect(mail.subject).toBe('[意見箱 日次まとめ 2026年12月2日] 新着1件・期限間近1件・期限超過1件');
    const text = mail.text_body;
    expect(text).toContain('【新しい意見(1件)】');
    expect(text).toContain('■ 第15期省委員会第1回巡視整備の進展状況に関する中国共産党嘉興市秀洲区委員会の通報 ／ 第三項「『区委員会は質の高い発展');
    expect(text).toContain(`${fresh.trackingNumber} 第三項(二) 担当部署:企画課`);
    expect(text).toContain(`${'あ'.repeat(119)}い…`);
    expect(text).not.toContain('いう');
    expect(text).toContain(`${PUBLIC_URL}/staff/opinions/${fresh.id}`);
    expect(text).toContain('【回答期限が3営業日以内の意見(1件)】');
    expect(text).toContain(`${dueSoon.trackingNumber} 第五項 回答期限:2026年12月7日 担当部署:未定`);
    expect(text).toContain('【回答期限を過ぎた意見(1件)】');
    expect(text).toContain(`${overdue.trackingNumber} 通報全体 回答期限:2026年11月30日 担当部署:企画課`);
    expect(text).not.toContain(later.trackingNumber);
    expect(text).not.toContain(answered.trackingNumber);
    // The HTML part says the same, escaped.
    expect(mail.html_body).toContain(`${PUBLIC_URL}/staff/opinions/${overdue.id}`);
  });

  it('sends nothing more that day, however often it runs or restarts', async () => {
    const restarted = openDatabase(t.file).db;
    try {
      expect(await runDigest(restarted, new Date('2026-12-02T09:00:00Z'), config)).toEqual({ status: 'already-done', day: '2026-12-02' });
      expect(await runDigest(restarted, new Date('2026-12-02T15:59:00Z'), config)).toEqual({ status: 'already-done', day: '2026-12-02' });
    } finally {
      await restarted.destroy();
    }
    expect(await digestMessages()).toHaveLength(1);
    expect((await db.selectFrom('office_digests').selectAll().execute()).map((d) => d.day)).toEqual(['2026-12-02']);
  });

  it('lists as new only what arrived since the last digest', async () => {
    const next = await addOpinion({ body: '翌日の新しい意見', section: 3, createdAt: '2026-12-02T10:00:00.000Z', dueAt: '2026-12-23T15:59:59.999Z' });
    const outcome = await runDigest(db, new Date('2026-12-03T01:30:00Z'), config);
    expect(outcome).toMatchObject({ status: 'sent', day: '2026-12-03', newCount: 1 });
    const text = (await digestMessages()).at(-1)!.text_body;
    expect(text).toContain(next.trackingNumber);
    expect(text.split('【回答期限')[0]).not.toContain(fresh.trackingNumber);
  });

  it('sends no digest when there is nothing to say, and still settles the day', async () => {
    await db.updateTable('opinions').set({ status: 'closed' }).execute();
    const before = (await digestMessages()).length;
    expect(await runDigest(db, new Date('2026-12-04T02:00:00Z'), config)).toEqual({ status: 'nothing-to-say', day: '2026-12-04' });
    expect(await digestMessages()).toHaveLength(before);
    const row = await db.selectFrom('office_digests').selectAll().where('day', '=', '2026-12-04').executeTakeFirstOrThrow();
    expect(row.message_count).toBe(0);
    expect(Number((await sql<{ n: number }>`select count(*) as n from office_digests`.execute(db)).rows[0].n)).toBe(3);
  });
});
