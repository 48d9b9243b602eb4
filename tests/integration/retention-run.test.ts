// The retention run against a real database: opinions settled longer than
// RETENTION_MONTHS lose their name, contact details, client hash and user
// agent (in the opinion, its mail copies, its old address note and the search
// index) and keep their text and statistics; a dry run counts the same and
// changes nothing; the CLI does both as an operator would.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpinionStatus } from '../../db/schema';
import { listOpinions } from '~/models/inbox.server';
import { createOpinion } from '~/models/opinions.server';
import { retentionCutoff, runRetention } from '~/models/retention.server';
import type { DB } from '~/server/db.server';
import { createTestDb } from '../helpers/db';
import { onPostgres } from '../helpers/postgres';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const NOW = new Date('2026-12-01T03:00:00.000Z');
const MONTH_MS = 30.44 * 86_400_000;
const ago = (months: number) => new Date(NOW.getTime() - months * MONTH_MS).toISOString();

type Person = { name: string; email: string; phone: string; address?: string };
type Seed = {
  person: Person | null;
  receivedMonthsAgo: number;
  status: OpinionStatus;
  /** Audited status changes: [from, to, months ago]. */
  transitions?: Array<[OpinionStatus, OpinionStatus, number]>;
  updatedMonthsAgo?: number;
  /** Leave the acknowledgement to the person unsent. */
  ackPending?: boolean;
  /** The pre-2026-12 way of keeping a postal address: a note and its audit row. */
  addressNote?: boolean;
};

async function seed(db: DB, label: string, s: Seed): Promise<number> {
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const created = await createOpinion(db, {
    reportId,
    sectionNumber: 4,
    itemNumber: 1,
    body: `公園の照明を増やしてください。夜道が暗くて危ないです。(${label})`,
    name: s.person?.name ?? null,
    email: s.person?.email ?? null,
    phone: s.person?.phone ?? null,
    address: s.person?.address ?? null,
    replyWanted: true,
    publicOk: false,
    consent: true,
    channel: s.person?.address ? 'post' : 'web',
    receivedAt: new Date(ago(s.receivedMonthsAgo)),
    clientHash: s.person ? `hash-${label}` : null,
    userAgent: s.person ? `Mozilla/5.0 (${label})` : null,
    formToken: null,
    recordedById: null,
  });
  const id = created.id;
  await db
    .updateTable('opinions')
    .set({ status: s.status, updated_at: ago(s.updatedMonthsAgo ?? s.transitions?.at(-1)?.[2] ?? s.receivedMonthsAgo) })
    .where('id', '=', id)
    .execute();
  for (const [from, to, monthsAgo] of s.transitions ?? []) {
    await db
      .insertInto('audit_log')
      .values({
        actor_id: null,
        actor_label: 'seed',
        action: 'opinion.status',
        entity_type: 'opinion',
        entity_id: String(id),
        before_json: JSON.stringify({ status: from }),
        after_json: JSON.stringify({ status: to }),
        created_at: ago(monthsAgo),
      })
      .execute();
  }
  let sent = db
    .updateTable('outbox_messages')
    .set({ status: 'sent', sent_at: ago(s.receivedMonthsAgo), attempts: 1 })
    .where('opinion_id', '=', id);
  if (s.ackPending) sent = sent.where('kind', '!=', 'citizen_ack');
  await sent.execute();
  if (s.addressNote && s.person?.address) {
    const author = await db
      .insertInto('users')
      .values({
        email: `seed-${label}@example.jp`,
        display_name: '記録係',
        role: 'staff',
        password_hash: 'x',
        created_at: ago(40),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const body = `郵送先の住所:${s.person.address}`;
    await db
      .insertInto('opinion_notes')
      .values({ opinion_id: id, author_id: author.id, body, created_at: ago(s.receivedMonthsAgo) })
      .execute();
    await db
      .insertInto('audit_log')
      .values({
        actor_id: author.id,
        actor_label: '記録係',
        action: 'opinion.note',
        entity_type: 'opinion',
        entity_id: String(id),
        before_json: null,
        after_json: JSON.stringify({ noteId: 1, body }),
        created_at: ago(s.receivedMonthsAgo),
      })
      .execute();
  }
  return id;
}

const PEOPLE: Record<string, Person> = {
  A: { name: '青木 一郎', email: 'aoki.ichiro@example.jp', phone: '090-1111-0001' },
  B: { name: '石井 二郎', email: 'ishii.jiro@example.jp', phone: '0573-8272-0002', address: '嘉興市秀洲区洪興路22号' },
  C: { name: '上田 三郎', email: 'ueda.saburo@example.jp', phone: '138 0013 0003' },
  D: { name: '江藤 四郎', email: 'eto.shiro@example.jp', phone: '090-1111-0004' },
  E: { name: '小野 五郎', email: 'ono.goro@example.jp', phone: '090-1111-0005' },
  F: { name: '加藤 六郎', email: 'kato.rokuro@example.jp', phone: '090-1111-0006' },
};

let t: Awaited<ReturnType<typeof createTestDb>>;
const ids: Record<string, number> = {};

async function snapshot(db: DB) {
  return {
    opinions: await db.selectFrom('opinions').selectAll().orderBy('id').execute(),
    outbox: await db.selectFrom('outbox_messages').selectAll().orderBy('id').execute(),
    notes: await db.selectFrom('opinion_notes').selectAll().orderBy('id').execute(),
    audit: await db.selectFrom('audit_log').selectAll().orderBy('id').execute(),
  };
}

/** What a staff search finds: the search indexes, and the opinions queued for them (decision 013). */
async function searchIds(db: DB, phrase: string): Promise<number[]> {
  const { rows } = await listOpinions(db, { q: phrase }, NOW.toISOString());
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

beforeAll(async () => {
  t = await createTestDb();
  const db = t.db;
  // Settled 30 months ago (audited new → closed): expired.
  ids.A = await seed(db, 'A', {
    person: PEOPLE.A,
    receivedMonthsAgo: 31,
    status: 'closed',
    transitions: [['new', 'closed', 30]],
  });
  // Answered with no audited change (recorded settled): counts from its last update, 28 months ago.
  ids.B = await seed(db, 'B', {
    person: PEOPLE.B,
    receivedMonthsAgo: 30,
    status: 'answered',
    updatedMonthsAgo: 28,
    addressNote: true,
  });
  // Answered 30 months ago, closed last month: answered → closed does not restart the clock.
  ids.C = await seed(db, 'C', {
    person: PEOPLE.C,
    receivedMonthsAgo: 32,
    status: 'closed',
    transitions: [
      ['triaged', 'answered', 30],
      ['answered', 'closed', 1],
    ],
    ackPending: true,
  });
  // Received long ago but settled 20 months ago: kept.
  ids.D = await seed(db, 'D', {
    person: PEOPLE.D,
    receivedMonthsAgo: 30,
    status: 'answered',
    transitions: [['triaged', 'answered', 20]],
  });
  // Still open: kept, however old.
  ids.E = await seed(db, 'E', {
    person: PEOPLE.E,
    receivedMonthsAgo: 30,
    status: 'in_progress',
    transitions: [['new', 'in_progress', 29]],
  });
  // Settled, reopened, settled again 5 months ago: kept.
  ids.F = await seed(db, 'F', {
    person: PEOPLE.F,
    receivedMonthsAgo: 33,
    status: 'closed',
    transitions: [
      ['new', 'answered', 30],
      ['answered', 'in_progress', 10],
      ['in_progress', 'closed', 5],
    ],
  });
  // Sent without a name or contact: nothing to remove.
  ids.G = await seed(db, 'G', {
    person: null,
    receivedMonthsAgo: 30,
    status: 'closed',
    transitions: [['new', 'closed', 30]],
  });
});

afterAll(async () => {
  await t?.close();
});

describe('the retention cutoff', () => {
  it('is calendar months back, clamped to the end of a shorter month', () => {
    expect(retentionCutoff(NOW, 24).toISOString()).toBe('2024-12-01T03:00:00.000Z');
    expect(retentionCutoff(new Date('2026-03-31T12:00:00.000Z'), 1).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(retentionCutoff(new Date('2028-03-31T12:00:00.000Z'), 1).toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });
});

describe('a retention run', () => {
  let dry: Awaited<ReturnType<typeof runRetention>>;

  it('counts in a dry run and changes nothing', async () => {
    const before = await snapshot(t.db);
    expect(await searchIds(t.db, PEOPLE.A.name)).toEqual([ids.A]);
    dry = await runRetention(t.db, { months: 24, now: NOW, dryRun: true, actorLabel: 'test' });
    expect(dry).toEqual({
      months: 24,
      cutoff: '2024-12-01T03:00:00.000Z',
      dryRun: true,
      opinions: 3,
      // Each of A, B, C has an office notification and an acknowledgement.
      messages: 6,
      withdrawnMessages: 1,
      notes: 1,
    });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('removes the personal data of opinions settled before the cutoff and keeps their text and statistics', async () => {
    const before = await snapshot(t.db);
    const real = await runRetention(t.db, { months: 24, now: NOW, actorLabel: 'test' });
    expect(real).toEqual({ ...dry, dryRun: false });

    const after = await snapshot(t.db);
    const byId = (rows: typeof after.opinions, id: number) => rows.find((r) => r.id === id)!;
    for (const label of ['A', 'B', 'C']) {
      const was = byId(before.opinions, ids[label]);
      const now = byId(after.opinions, ids[label]);
      expect(now, label).toMatchObject({
        name: null,
        email: null,
        phone: null,
        address: null,
        client_hash: null,
        user_agent: null,
        personal_data_removed_at: NOW.toISOString(),
        personal_data_removed_reason: 'retention',
      });
      // Text and everything the statistics are made of stay.
      for (const key of [
        'body',
        'tracking_number',
        'report_id',
        'section_number',
        'item_number',
        'channel',
        'status',
        'unit_id',
        'received_at',
        'due_at',
        'reply_wanted',
        'public_ok',
        'consent',
      ] as const) {
        expect(now[key], `${label}.${key}`).toEqual(was[key]);
      }
    }
    for (const label of ['D', 'E', 'F', 'G']) {
      expect(byId(after.opinions, ids[label]), label).toEqual(byId(before.opinions, ids[label]));
      expect(after.outbox.filter((m) => m.opinion_id === ids[label])).toEqual(
        before.outbox.filter((m) => m.opinion_id === ids[label]),
      );
    }
    expect(byId(after.opinions, ids.D).name).toBe(PEOPLE.D.name);
  });

  it('masks the mail copies, removes the person as recipient and withdraws unsent mail to them', async () => {
    const messages = await t.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('opinion_id', 'in', [ids.A, ids.B, ids.C])
      .orderBy('id')
      .execute();
    // C's pending acknowledgement is gone: it will never be sent.
    expect(messages.filter((m) => m.opinion_id === ids.C).map((m) => m.kind)).toEqual(['office_notification']);
    expect(messages).toHaveLength(5);
    for (const m of messages) {
      const label = Object.keys(ids).find((k) => ids[k] === m.opinion_id)!;
      const p = PEOPLE[label];
      for (const copy of [m.recipient, m.subject, m.text_body, m.html_body]) {
        expect(copy).not.toContain(p.email);
        expect(copy).not.toContain(p.name);
        expect(copy).not.toContain(p.phone);
        if (p.address) expect(copy).not.toContain(p.address);
      }
      // The opinion's text is still in the copy.
      expect(m.text_body).toContain('公園の照明を増やしてください。');
      if (m.kind === 'office_notification') {
        expect(m.recipient).toBe('office@localhost');
        expect(m.text_body).toContain('●●●');
      } else {
        expect(m.recipient).toBe('(削除済み)');
      }
    }
  });

  it('clears the old address note and its audit row, and the name from the search index', async () => {
    const notes = await t.db.selectFrom('opinion_notes').select('body').where('opinion_id', '=', ids.B).execute();
    expect(notes.map((n) => n.body)).toEqual(['郵送先の住所:(削除済み)']);
    const noteAudit = await t.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'opinion.note')
      .where('entity_id', '=', String(ids.B))
      .execute();
    expect(noteAudit).toHaveLength(1);
    expect(noteAudit[0].after_json).not.toContain(PEOPLE.B.address!);
    expect(JSON.parse(noteAudit[0].after_json!).body).toBe('郵送先の住所:(削除済み)');

    expect(await searchIds(t.db, PEOPLE.A.name)).toEqual([]);
    expect(await searchIds(t.db, PEOPLE.D.name)).toEqual([ids.D]);
    // The text is still searchable.
    expect(await searchIds(t.db, '夜道が暗くて危ないです。(A)')).toEqual([ids.A]);
    // SQLite's trigram index is kept apart from the rows: it still agrees with them.
    // (PostgreSQL's pg_trgm indexes are ordinary indexes, kept in the same transaction.)
    if (!onPostgres) {
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(t.db);
      expect(integrity.rows[0].integrity_check).toBe('ok');
    }
  });

  it('writes one audit row with the counts, never the removed values', async () => {
    const rows = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'opinion.retention').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: null, actor_label: 'test', entity_type: 'opinion', entity_id: null });
    expect(JSON.parse(rows[0].after_json!)).toEqual({
      months: 24,
      cutoff: '2024-12-01T03:00:00.000Z',
      opinions: 3,
      messages: 6,
      withdrawnMessages: 1,
      notes: 1,
    });
  });

  it('finds nothing the second time, and says so in the log', async () => {
    const again = await runRetention(t.db, { months: 24, now: NOW, actorLabel: 'test' });
    expect(again.opinions).toBe(0);
    const rows = await t.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'opinion.retention')
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[1].after_json!)).toMatchObject({ opinions: 0, messages: 0 });
  });

  it('takes the settled-recently ones once their time has come', async () => {
    // Eight months later, D (settled 20 months before NOW) has passed 24 months.
    const later = new Date(NOW.getTime() + 8 * MONTH_MS);
    const result = await runRetention(t.db, { months: 24, now: later, dryRun: true });
    expect(result.opinions).toBe(1);
    expect(await runRetention(t.db, { months: 12, now: NOW, dryRun: true })).toMatchObject({ opinions: 1 });
  });
});

describe('npm run data:retention', () => {
  let other: Awaited<ReturnType<typeof createTestDb>>;
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/data-retention.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'development', DATABASE_PATH: other.file, RETENTION_MONTHS: '24' },
    });

  beforeAll(async () => {
    other = await createTestDb();
    // Settled three years ago, by the real clock the script uses.
    const y3 = (Date.now() - NOW.getTime()) / MONTH_MS + 36;
    ids.cli = await seed(other.db, 'cli', {
      person: PEOPLE.A,
      receivedMonthsAgo: y3 + 1,
      status: 'closed',
      transitions: [['new', 'closed', y3]],
    });
  });
  afterAll(async () => {
    await other?.close();
  });

  it('counts with --dry-run, then anonymises and audits as "cli"', async () => {
    const dryRun = await cli(['--dry-run']);
    expect(dryRun.stdout).toMatch(
      /^Dry run \(nothing changed\): would anonymise 1 opinion\(s\) settled before .*RETENTION_MONTHS=24.*2 masked, of which 0/,
    );
    const kept = await other.db
      .selectFrom('opinions')
      .select(['name', 'email'])
      .where('id', '=', ids.cli)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ name: PEOPLE.A.name, email: PEOPLE.A.email });
    expect(
      await other.db.selectFrom('audit_log').select('id').where('action', '=', 'opinion.retention').execute(),
    ).toEqual([]);

    const real = await cli([]);
    expect(real.stdout).toMatch(/^Anonymised 1 opinion\(s\)/);
    const gone = await other.db
      .selectFrom('opinions')
      .select(['name', 'email', 'personal_data_removed_reason'])
      .where('id', '=', ids.cli)
      .executeTakeFirstOrThrow();
    expect(gone).toEqual({ name: null, email: null, personal_data_removed_reason: 'retention' });
    const audit = await other.db
      .selectFrom('audit_log')
      .select(['actor_label', 'after_json'])
      .where('action', '=', 'opinion.retention')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_label).toBe('cli');
    expect(JSON.parse(audit[0].after_json!)).toMatchObject({ opinions: 1, messages: 2 });
  });

  it('refuses an unknown option with exit code 2 and changes nothing', async () => {
    const failed = await cli(['--dryrun']).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('Usage: npm run data:retention');
  });
});
