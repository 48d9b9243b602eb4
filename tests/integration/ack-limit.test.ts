// The acknowledgement email is not a relay (issue 11): at most
// ACK_LIMIT_PER_ADDRESS (3) acknowledgements a day to one mailbox, counted in
// the database so the cap holds across restarts. Over the cap the opinion is
// stored and the office told as always; only the acknowledgement is skipped,
// recorded on the opinion and shown to staff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpinion, type CreateOpinionInput } from '~/models/opinions.server';
import { getOpinionForStaff } from '~/models/opinion-detail.server';
import { countRecentAcknowledgements, mailboxKey } from '~/mail/ack-limit.server';
import { Migrator } from 'kysely';
import { openDatabase } from '~/server/db.server';
import { SerialIdsPlugin } from '~/server/db-postgres.server';
import { migrationProvider } from '../../db/migrations/index';
import { parseEnv } from '~/utils/env.server';
import { BUNDLED_SLUG, createTestDb, tempDir } from '../helpers/db';
import { createPostgresDatabase, dropPostgresDatabase, onPostgres } from '../helpers/postgres';
import { startTestServer, type TestServer } from '../helpers/server';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestUser, signIn } from '../helpers/staff';

describe('ACK_LIMIT_PER_ADDRESS', () => {
  it('defaults to 3 a day and takes a whole number (0: no acknowledgements at all)', () => {
    expect(parseEnv({}).ACK_LIMIT_PER_ADDRESS).toBe(3);
    expect(parseEnv({ ACK_LIMIT_PER_ADDRESS: '0' }).ACK_LIMIT_PER_ADDRESS).toBe(0);
    expect(() => parseEnv({ ACK_LIMIT_PER_ADDRESS: 'many' })).toThrow(/ACK_LIMIT_PER_ADDRESS/);
    expect(() => parseEnv({ ACK_LIMIT_PER_ADDRESS: '-1' })).toThrow(/ACK_LIMIT_PER_ADDRESS/);
  });
});

describe('the cap, against the database', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t?.close());

  let seq = 0;
  const opinion = (email: string | null, over: Partial<CreateOpinionInput> = {}) =>
    createOpinion(t.db, {
      reportId: 1,
      sectionNumber: 3,
      itemNumber: null,
      body: `第${++seq}の意見です。夜間の照明を増やしてください。`,
      name: '山田 太郎',
      email,
      phone: null,
      replyWanted: false,
      publicOk: false,
      consent: true,
      channel: 'web',
      receivedAt: new Date(),
      clientHash: `client-${seq}`,
      userAgent: null,
      formToken: null,
      recordedById: null,
      ...over,
    });
  const mailsOf = (opinionId: number) => t.db.selectFrom('outbox_messages').select(['kind', 'recipient', 'text_body']).where('opinion_id', '=', opinionId).orderBy('id').execute();
  const withheldOf = async (opinionId: number) =>
    (await t.db.selectFrom('opinions').select('ack_withheld').where('id', '=', opinionId).executeTakeFirstOrThrow()).ack_withheld;

  it('sends three acknowledgements to one mailbox, however its address is typed; the fourth opinion is stored, the office told, no acknowledgement', async () => {
    const first = await opinion('victim@example.jp');
    const second = await opinion('Victim@Example.JP');
    const third = await opinion('victim+promo@example.jp');
    for (const o of [first, second, third]) {
      expect(o.ackWithheld).toBe(false);
      expect((await mailsOf(o.id)).map((m) => m.kind)).toEqual(['office_notification', 'citizen_ack']);
    }

    const fourth = await opinion('victim@example.jp');
    expect(fourth).toMatchObject({ duplicate: false, ackWithheld: true });
    expect(await withheldOf(fourth.id)).toBe('address_limit');
    const mails = await mailsOf(fourth.id);
    expect(mails.map((m) => m.kind)).toEqual(['office_notification']);
    expect(mails[0].text_body).toContain('受付確認メールが24時間で上限(3通)に達しているため、この意見の受付確認メールは送っていません。');
    // The opinion itself is stored whole.
    const stored = await t.db.selectFrom('opinions').select(['body', 'email']).where('id', '=', fourth.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ body: `第${seq}の意見です。夜間の照明を増やしてください。`, email: 'victim@example.jp' });

    // Staff see why.
    expect((await getOpinionForStaff(t.db, fourth.id))!.ackWithheld).toBe('address_limit');
    expect((await getOpinionForStaff(t.db, first.id))!.ackWithheld).toBeNull();

    // Another mailbox is not affected.
    const other = await opinion('someone-else@example.jp');
    expect((await mailsOf(other.id)).map((m) => m.kind)).toEqual(['office_notification', 'citizen_ack']);
    // An opinion without an email has nothing to withhold.
    const none = await opinion(null);
    expect(none.ackWithheld).toBe(false);
    expect(await withheldOf(none.id)).toBeNull();
  });

  it('counts the last 24 hours only', async () => {
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    const queue = (recipient: string, createdAt: string) =>
      t.db
        .insertInto('outbox_messages')
        .values({ opinion_id: null, kind: 'citizen_ack', recipient, mailbox_key: mailboxKey(recipient), subject: 's', text_body: 't', html_body: 'h', message_id: `<${Math.random()}@x>`, next_attempt_at: createdAt, created_at: createdAt, status: 'sent' })
        .execute();
    for (let i = 0; i < 3; i++) await queue('old@example.jp', at(25));
    expect((await opinion('old@example.jp')).ackWithheld).toBe(false);
    for (let i = 0; i < 3; i++) await queue('recent@example.jp', at(23));
    expect((await opinion('recent@example.jp')).ackWithheld).toBe(true);
  });

  it('applies the cap to opinions committed together', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => opinion('burst@example.jp')));
    expect(results.filter((r) => r.ackWithheld)).toHaveLength(2);
    const acks = await t.db.selectFrom('outbox_messages').select('id').where('recipient', '=', 'burst@example.jp').where('kind', '=', 'citizen_ack').execute();
    expect(acks).toHaveLength(3);
  });
});

describe('the mailbox key migration', () => {
  it('keys the last day of acknowledgements, so that a mailbox at its cap stays capped across the upgrade', async () => {
    const target = onPostgres ? await createPostgresDatabase() : `${tempDir('ikenbako-ackkey-')}/ikenbako.db`;
    const { db } = openDatabase(target);
    try {
      // As migrateToLatest builds it: PostgreSQL's ids come from the serial plugin.
      const migrator = new Migrator({ db: onPostgres ? db.withPlugin(new SerialIdsPlugin()) : db, provider: migrationProvider });
      const before = await migrator.migrateTo('2026-12-03-0001-shared-state');
      expect(before.error).toBeUndefined();
      const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
      const queue = (kind: string, recipient: string, createdAt: string) =>
        db
          .insertInto('outbox_messages')
          .values({ opinion_id: null, kind, recipient, subject: 's', text_body: 't', html_body: 'h', message_id: `<${Math.random()}@x>`, next_attempt_at: createdAt, created_at: createdAt, status: 'sent' })
          .execute();
      await queue('citizen_ack', 'Upgrade+one@Example.JP', at(2));
      await queue('citizen_ack', 'upgrade@example.jp', at(23));
      await queue('citizen_ack', 'upgrade@example.jp', at(30));
      await queue('office_notification', 'office@example.jp', at(1));
      const after = await migrator.migrateToLatest();
      expect(after.error).toBeUndefined();
      const rows = await db.selectFrom('outbox_messages').select(['recipient', 'kind', 'mailbox_key', 'created_at']).orderBy('id').execute();
      expect(rows.map((r) => r.mailbox_key)).toEqual(['upgrade@example.jp', 'upgrade@example.jp', null, null]);
      expect(await countRecentAcknowledgements(db, 'UPGRADE@example.jp', new Date())).toBe(2);
    } finally {
      await db.destroy();
      if (onPostgres) await dropPostgresDatabase(target);
    }
  });
});

describe('over HTTP and SMTP, across a restart', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  // One database for both server runs (a file, or a PostgreSQL database).
  let databasePath: string;
  const env = () => ({ SMTP_URL: smtp.url, RATE_LIMIT_OPINIONS: '100', OFFICE_EMAIL: 'office@example.gov', DATABASE_PATH: databasePath });

  beforeAll(async () => {
    databasePath = onPostgres ? await createPostgresDatabase() : `${tempDir('ikenbako-ack-')}/ikenbako.db`;
    smtp = await startTestSmtp();
    server = await startTestServer(env());
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
    if (onPostgres && databasePath) await dropPostgresDatabase(databasePath);
  });

  async function post(body: string): Promise<string> {
    const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ section: '2', body, name: '他人の名前', email: 'target@example.jp', consent: 'on' }),
    });
    expect(res.status).toBe(303);
    const receipt = await (await fetch(server.url + res.headers.get('location'))).text();
    return /XZ-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(receipt)![0];
  }

  it('the fourth opinion of the day from one address: stored, office mailed, no acknowledgement, and staff see why', async () => {
    const numbers = [await post('一通目の意見です。よろしくお願いします。'), await post('二通目の意見です。よろしくお願いします。')];
    // A restart in between: the count lives in the database, not in the process.
    await server.stop();
    server = await startTestServer(env());
    numbers.push(await post('三通目の意見です。よろしくお願いします。'), await post('四通目の意見です。よろしくお願いします。'));

    await smtp.waitFor(7);
    const about = (n: string) => smtp.messages.filter((m) => (m.subject ?? '').includes(n));
    for (const n of numbers.slice(0, 3)) expect(about(n)).toHaveLength(2);
    const fourth = about(numbers[3]);
    expect(fourth).toHaveLength(1);
    expect((fourth[0].to as { text: string }).text).toBe('office@example.gov');
    expect(smtp.messages.filter((m) => JSON.stringify(m.to).includes('target@example.jp'))).toHaveLength(3);
    for (const m of smtp.messages.filter((x) => JSON.stringify(x.to).includes('target@example.jp'))) {
      expect(m.text).not.toContain('他人の名前');
    }

    const { db } = openDatabase(databasePath);
    const row = await db.selectFrom('opinions').select(['id', 'ack_withheld']).where('tracking_number', '=', numbers[3]).executeTakeFirstOrThrow();
    await db.destroy();
    expect(row.ack_withheld).toBe('address_limit');

    const staff = await createTestUser(databasePath, 'staff');
    const cookie = await signIn(server.url, staff.email, staff.password);
    const page = await (await fetch(`${server.url}/staff/opinions/${row.id}`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain('受付確認メール(ご本人宛)は送っていません。同じメールアドレスへの受付確認が24時間で上限に達していたためです');
  });
});
