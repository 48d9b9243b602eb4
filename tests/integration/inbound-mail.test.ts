// `npm run mail:inbound < message.eml` (run as the MTA would: a separate
// process reading standard input) with DSNs in the shapes Postfix, Exim and
// Gmail send, auto-replies and an ordinary message; then what staff see of it:
// the bounce on the opinion, the banner for an office or unit address (gone
// once the admin fixes it) and /healthz's bounced24h.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessage } from '~/mail/outbox.server';
import { listInboundMessages } from '~/models/inbound-messages.server';
import { listAddressBounces } from '~/models/mail-events.server';
import { getOpinionForStaff } from '~/models/opinion-detail.server';
import { createOpinion } from '~/models/opinions.server';
import { updateUnit } from '~/models/units.server';
import { createUser } from '~/models/users.server';
import type { DB } from '~/server/db.server';
import { createTestDb } from '../helpers/db';
import { onPostgres } from '../helpers/postgres';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/mail');
const OFFICE = 'xiuzhou.office@gmail.com';
const UNIT_EMAIL = 'kikaku@unit.example.gov';

let t: Awaited<ReturnType<typeof createTestDb>>;
let db: DB;
let opinionId: number;
let unitId: number;
const outbox: Record<string, number> = {};

type RunResult = { code: number | null; stdout: string; stderr: string; json: Record<string, unknown> | null };

function mailInbound(input: Buffer | string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/mail-inbound.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_PATH: t.file, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
      } catch {
        json = null;
      }
      resolve({ code, stdout, stderr, json });
    });
    child.stdin.end(input);
  });
}

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

/** A sent outbox message carrying the Message-ID the fixture quotes. */
async function sentMessage(key: string, uuid: string, fields: { opinionId: number | null; kind: string; recipient: string }) {
  const id = (await enqueueMessage(db, { ...fields, subject: key, text: key, html: key }))!;
  await db
    .updateTable('outbox_messages')
    .set({ message_id: `<${uuid}@ikenbako.example.org>`, status: 'sent', sent_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
  outbox[key] = id;
}

async function events(outboxId: number) {
  return db.selectFrom('mail_events').selectAll().where('outbox_message_id', '=', outboxId).execute();
}

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  // /healthz (imported below) reads this database (a PostgreSQL URL under npm run test:pg).
  if (onPostgres) process.env.DATABASE_URL = t.file;
  else process.env.DATABASE_PATH = t.file;
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const created = await createOpinion(db, {
    reportId,
    sectionNumber: 2,
    itemNumber: null,
    body: 'メールアドレスを打ち間違えた人の意見',
    name: '山田 花子',
    email: 'citizen.typo@example.net',
    phone: null,
    replyWanted: true,
    publicOk: false,
    consent: true,
    channel: 'web',
    receivedAt: new Date(),
    clientHash: null,
    userAgent: null,
    formToken: null,
    recordedById: null,
  });
  opinionId = created.id;
  const ack = await db.selectFrom('outbox_messages').select('id').where('opinion_id', '=', opinionId).where('kind', '=', 'citizen_ack').executeTakeFirstOrThrow();
  await db.updateTable('outbox_messages').set({ message_id: '<6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e01@ikenbako.example.org>', status: 'sent' }).where('id', '=', ack.id).execute();
  outbox.ack = ack.id;
  unitId = (
    await db.insertInto('units').values({ name: '企画課', email: UNIT_EMAIL, retired_at: null, created_at: '2026-01-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()
  ).id;
  await sentMessage('delayed', '0b9e7d6c-5a4b-4c3d-8e2f-1a0b9c8d7e02', { opinionId, kind: 'citizen_reply', recipient: 'somchai@slow.example.com' });
  await sentMessage('unit', '2c3d4e5f-6a7b-4c8d-9e0f-a1b2c3d4e503', { opinionId, kind: 'unit_notification', recipient: UNIT_EMAIL });
  await sentMessage('office', '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b04', { opinionId, kind: 'office_notification', recipient: OFFICE });
  await sentMessage('vacation', '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a805', { opinionId, kind: 'citizen_ack', recipient: 'citizen@example.net' });
  await sentMessage('outlook', '77aa88bb-99cc-4ddd-8eee-ffff00001106', { opinionId, kind: 'unit_notification', recipient: UNIT_EMAIL });
  await sentMessage('viaEnv', 'aaaabbbb-cccc-4ddd-8eee-ffff00002207', { opinionId, kind: 'citizen_ack', recipient: 'someone@example.net' });
});
afterAll(async () => {
  await t.close();
});

describe('mail:inbound with delivery status notifications', () => {
  it('Postfix, user unknown: a hard bounce of the citizen’s address, matched by its VERP address', async () => {
    const run = await mailInbound(fixture('postfix-hard-bounce.eml'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ kind: 'bounce', outboxMessageId: outbox.ack, recorded: 1 });
    const [e] = await events(outbox.ack);
    expect(e).toMatchObject({ kind: 'bounce', bounce_type: 'hard', status_code: '5.1.1', recipient: 'citizen.typo@example.net' });
    expect(e.diagnostic).toBe('550 5.1.1 <citizen.typo@example.net>: Recipient address rejected: User unknown in virtual mailbox table');
  });

  it('records the same report piped twice once', async () => {
    const run = await mailInbound(fixture('postfix-hard-bounce.eml'));
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ kind: 'bounce', recorded: 0 });
    expect(await events(outbox.ack)).toHaveLength(1);
  });

  it('Postfix, delayed: a soft bounce with the remote’s text', async () => {
    const run = await mailInbound(fixture('postfix-delayed.eml'));
    expect(run.json).toMatchObject({ kind: 'bounce', outboxMessageId: outbox.delayed });
    expect(await events(outbox.delayed)).toMatchObject([
      { bounce_type: 'soft', status_code: '4.4.1', diagnostic: 'connect to mx.slow.example.com[198.51.100.7]:25: Connection timed out' },
    ]);
  });

  it('Exim: a hard bounce of a unit’s address', async () => {
    const run = await mailInbound(fixture('exim-hard-bounce.eml'));
    expect(run.json).toMatchObject({ kind: 'bounce', outboxMessageId: outbox.unit });
    expect(await events(outbox.unit)).toMatchObject([{ bounce_type: 'hard', status_code: '5.0.0', recipient: UNIT_EMAIL }]);
  });

  it('Gmail, sent back to the From address: matched by the Message-ID it quotes', async () => {
    const run = await mailInbound(fixture('gmail-hard-bounce.eml'));
    expect(run.json).toMatchObject({ kind: 'bounce', outboxMessageId: outbox.office });
    const [e] = await events(outbox.office);
    expect(e).toMatchObject({ bounce_type: 'hard', status_code: '5.1.1', recipient: OFFICE });
    expect(e.diagnostic).toContain('The email account that you tried to reach does not exist.');
  });
});

describe('mail:inbound with other mail', () => {
  it('records a vacation reply (Auto-Submitted) and does not count it as a bounce', async () => {
    const run = await mailInbound(fixture('vacation-auto-reply.eml'));
    expect(run.json).toMatchObject({ kind: 'auto_reply', outboxMessageId: outbox.vacation, recorded: 1 });
    expect(await events(outbox.vacation)).toMatchObject([{ kind: 'auto_reply', bounce_type: null }]);
  });

  it('records an Exchange out-of-office reply (no Auto-Submitted) by its In-Reply-To', async () => {
    const run = await mailInbound(fixture('outlook-out-of-office.eml'));
    expect(run.json).toMatchObject({ kind: 'auto_reply', outboxMessageId: outbox.outlook });
  });

  it('takes the envelope recipient the MTA passes (RECIPIENT) when the headers do not say', async () => {
    const bare = fixture('vacation-auto-reply.eml')
      .toString('utf8')
      .split('\n')
      .filter((l) => !/^(Delivered-To|In-Reply-To|References):/.test(l))
      .join('\n')
      .replace('<vacation.20261201020500.1234@example.net>', '<vacation.2@example.net>');
    const run = await mailInbound(bare, { RECIPIENT: 'bounce+aaaabbbb-cccc-4ddd-8eee-ffff00002207@ikenbako.example.org' });
    expect(run.json).toMatchObject({ kind: 'auto_reply', outboxMessageId: outbox.viaEnv });
  });

  it('keeps anything else for staff as an unmatched inbound message', async () => {
    const run = await mailInbound(fixture('citizen-question.eml'));
    expect(run.json).toEqual({ kind: 'inbound', saved: true });
    const [kept] = await listInboundMessages(db);
    expect(kept).toMatchObject({ subject: 'Re: ご意見を受け付けました', from: '"山田 花子" <hanako@example.net>' });
    expect(kept.text).toContain('追加の写真を送りたい');
  });

  it('refuses an empty standard input with a usage exit code', async () => {
    const run = await mailInbound('');
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('No message on standard input');
  });
});

describe('what staff see', () => {
  it('shows the citizen’s hard bounce on the opinion, and each message’s bounce in its mail table', async () => {
    const view = (await getOpinionForStaff(db, opinionId))!;
    expect(view.emailBounce).toMatchObject({ recipient: 'citizen.typo@example.net', type: 'hard', statusCode: '5.1.1' });
    const byId = new Map(view.messages.map((m) => [m.id, m]));
    expect(byId.get(outbox.ack)!.bounce).toMatchObject({ type: 'hard' });
    expect(byId.get(outbox.delayed)!.bounce).toMatchObject({ type: 'soft', statusCode: '4.4.1' });
    expect(byId.get(outbox.vacation)!.autoReplied).toBe(true);
    expect(byId.get(outbox.vacation)!.bounce).toBeNull();
  });

  it('flags the office and unit addresses that hard-bounced until they are fixed', async () => {
    const banner = await listAddressBounces(db, [OFFICE]);
    expect(banner.map((b) => [b.scope, b.address, b.unit?.name ?? null])).toEqual(
      expect.arrayContaining([
        ['office', OFFICE, null],
        ['unit', UNIT_EMAIL, '企画課'],
      ]),
    );
    expect(banner).toHaveLength(2);
    // The office address changed in OFFICE_EMAIL: no longer flagged.
    expect((await listAddressBounces(db, ['new.office@example.gov'])).map((b) => b.scope)).toEqual(['unit']);

    const admin = await createUser(db, { email: 'admin@example.gov', displayName: '管理 太郎', role: 'admin', password: 'correct horse battery' });
    await updateUnit(db, { id: admin.id, email: admin.email, displayName: admin.displayName, role: 'admin' }, unitId, { name: '企画課', email: 'kikaku-new@unit.example.gov' });
    expect(await listAddressBounces(db, ['new.office@example.gov'])).toEqual([]);
  });

  it('counts the last 24 hours of bounces in /healthz', async () => {
    const { loader } = await import('~/routes/healthz');
    const res = await loader();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', outbox: { bounced24h: 4 } });
  });
});
