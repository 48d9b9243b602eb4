// Personal data is kept only as long as the office needs it. An opinion that
// has been settled (answered, closed, out of scope, duplicate) for longer than
// RETENTION_MONTHS loses its name, contact details, client hash and user agent;
// its text, target, dates, status and unit stay, so the register of opinions
// and every statistic survive. The same removal answers a person's request to
// erase their data (./privacy-requests.server.ts).
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { Database, PersonalDataRemovedReason } from '../../db/schema';
import { OPEN_STATUSES, SETTLED_STATUSES } from '~/domain/opinion-status';
import { REDACTION_MASK, redactSubmitterDetails, type Submitter } from '~/domain/redact';
import { escapeHtml } from '~/mail/envelope.server';
import { recordAudit } from '~/models/audit.server';
import type { DB } from '~/server/db.server';
import { log } from '~/server/request-log.server';
import { getEnv } from '~/utils/env.server';

export type Executor = DB | Transaction<Database>;

/** What a removed recipient address reads as in the outbox. */
export const REMOVED_RECIPIENT = '(削除済み)';
/** Until 2026-12 a postal address was kept as an internal note with this prefix (and its audit row). */
const ADDRESS_NOTE_PREFIX = '郵送先の住所:';
const REMOVED_ADDRESS_NOTE = `${ADDRESS_NOTE_PREFIX}(削除済み)`;
/** Opinions per transaction: a large first run must not hold the write lock for long. */
const BATCH = 500;

/** An opinion's id and the details to remove (and to mask in its mail). */
export type PersonRow = {
  id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
};

export type RemovalCounts = {
  /** Opinions whose name, contact details, client hash and user agent are removed. */
  opinions: number;
  /** Their outbox messages: copies with the details masked, the recipient removed when it was the person. */
  messages: number;
  /** Of those, messages to the person not yet sent: withdrawn (deleted), never sent. */
  withdrawnMessages: number;
  /** Internal notes holding the postal address (the old way of keeping it), with their audit rows. */
  notes: number;
};

type MessagePlan = {
  id: number;
  messageId: string;
  withdraw: boolean;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  lastError: string | null;
};

function sameAddress(a: string | null, b: string | null): boolean {
  return Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());
}

/**
 * Masks the person's details in a rendered copy: each value exactly as given
 * (HTML copies hold them escaped too), then the ways of writing them that the
 * redaction rules know (山田太郎 for 山田 太郎, +81 for 0…).
 */
function mask(text: string, person: Submitter, html = false): string {
  const values = [person.name, person.email, person.phone, person.address].filter((v): v is string => Boolean(v?.trim()));
  let out = text;
  for (const v of values.flatMap((v) => (html ? [v, escapeHtml(v)] : [v])).sort((a, b) => b.length - a.length)) {
    out = out.split(v).join(REDACTION_MASK);
  }
  out = redactSubmitterDetails(out, person);
  if (!html) return out;
  const escape = (v: string | null | undefined) => (v ? escapeHtml(v) : null);
  return redactSubmitterDetails(out, {
    name: escape(person.name),
    email: escape(person.email),
    phone: escape(person.phone),
    address: escape(person.address),
  });
}

/** What would change for these opinions: their messages and their address notes. Reads only. */
async function planRemoval(db: Executor, people: PersonRow[]): Promise<{ messages: MessagePlan[]; noteIds: number[] }> {
  if (people.length === 0) return { messages: [], noteIds: [] };
  const byId = new Map(people.map((p) => [p.id, p]));
  const ids = [...byId.keys()];
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['id', 'message_id', 'opinion_id', 'kind', 'recipient', 'subject', 'text_body', 'html_body', 'status', 'last_error'])
    .where('opinion_id', 'in', ids)
    .execute();
  const messages = rows.map((m): MessagePlan => {
    const person = byId.get(m.opinion_id!)!;
    const toPerson = sameAddress(m.recipient, person.email) || m.kind.startsWith('citizen_');
    return {
      id: m.id,
      messageId: m.message_id,
      withdraw: toPerson && m.status === 'pending',
      recipient: toPerson ? REMOVED_RECIPIENT : m.recipient,
      subject: mask(m.subject, person),
      text: mask(m.text_body, person),
      html: mask(m.html_body, person, true),
      // A bounce message may quote the address.
      lastError: m.last_error === null ? null : mask(m.last_error, person),
    };
  });
  const notes = await db
    .selectFrom('opinion_notes')
    .select('id')
    .where('opinion_id', 'in', ids)
    .where('body', 'like', `${ADDRESS_NOTE_PREFIX}%`)
    .where('body', '!=', REMOVED_ADDRESS_NOTE)
    .execute();
  return { messages, noteIds: notes.map((n) => n.id) };
}

function countsOf(people: PersonRow[], plan: Awaited<ReturnType<typeof planRemoval>>): RemovalCounts {
  return {
    opinions: people.length,
    messages: plan.messages.length,
    withdrawnMessages: plan.messages.filter((m) => m.withdraw).length,
    notes: plan.noteIds.length,
  };
}

/** How much removing these opinions' personal data would touch, without touching it. */
export async function countRemoval(db: Executor, people: PersonRow[]): Promise<RemovalCounts> {
  return countsOf(people, await planRemoval(db, people));
}

/**
 * Removes the personal data of these opinions inside the caller's transaction
 * (which also writes the audit row). The full-text index follows the name
 * through its update trigger. Internal notes written by staff are left as they
 * are (they are the office's working record), except the old address notes.
 */
export async function removePersonalData(
  trx: Transaction<Database>,
  people: PersonRow[],
  reason: PersonalDataRemovedReason,
  now: string = new Date().toISOString(),
): Promise<RemovalCounts> {
  const plan = await planRemoval(trx, people);
  if (people.length === 0) return countsOf(people, plan);
  const ids = people.map((p) => p.id);
  for (const m of plan.messages) {
    if (m.withdraw) {
      await trx.deleteFrom('outbox_messages').where('id', '=', m.id).execute();
    } else {
      await trx
        .updateTable('outbox_messages')
        .set({
          recipient: m.recipient,
          subject: m.subject,
          text_body: m.text,
          html_body: m.html,
          last_error: m.lastError,
        })
        .where('id', '=', m.id)
        .execute();
    }
  }
  if (plan.noteIds.length > 0) {
    await trx
      .updateTable('opinion_notes')
      .set({ body: REMOVED_ADDRESS_NOTE })
      .where('id', 'in', plan.noteIds)
      .execute();
    await trx
      .updateTable('audit_log')
      .set({ after_json: sql<string>`json_set(after_json, '$.body', ${REMOVED_ADDRESS_NOTE})` })
      .where('action', '=', 'opinion.note')
      .where('entity_type', '=', 'opinion')
      .where('entity_id', 'in', ids.map(String))
      .where(sql<string>`json_extract(after_json, '$.body')`, 'like', `${ADDRESS_NOTE_PREFIX}%`)
      .execute();
  }
  await trx
    .updateTable('opinions')
    .set({
      name: null,
      email: null,
      phone: null,
      address: null,
      client_hash: null,
      user_agent: null,
      personal_data_removed_at: now,
      personal_data_removed_reason: reason,
      updated_at: now,
    })
    .where('id', 'in', ids)
    .execute();
  removeMailFiles(plan.messages.map((m) => m.messageId));
  return countsOf(people, plan);
}

/**
 * Without SMTP_URL every sent message is also an .eml file in MAIL_DIR, named
 * after its Message-ID's unique part: those files go with the data. (Run
 * inside the transaction: should it roll back, the files are gone a little
 * early, never kept too long.)
 */
function removeMailFiles(messageIds: string[]): void {
  const uniques = new Set(messageIds.map((id) => /^<([^@>]+)@/.exec(id)?.[1]).filter((u): u is string => Boolean(u)));
  if (uniques.size === 0) return;
  const dir = path.resolve(getEnv().MAIL_DIR);
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    return; // No mail was ever written as files.
  }
  for (const file of files) {
    const unique = /-([0-9a-f-]{36})\.eml$/i.exec(file)?.[1];
    if (unique && uniques.has(unique)) fs.rmSync(path.join(dir, file), { force: true });
  }
}

/** `months` calendar months before `now` (31 March − 1 month = 28/29 February). */
export function retentionCutoff(now: Date, months: number): Date {
  const day = now.getUTCDate();
  const d = new Date(now);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/**
 * Opinions settled before `cutoff` that still hold personal data. "Settled
 * since" is the moment of the latest audited status change from an open status
 * to a settled one (answered → closed does not restart the clock; reopening
 * and settling again does); an opinion with no such change (recorded or
 * imported already settled) counts from its last update. Received before the
 * cutoff is implied, and narrows the scan to old opinions through an index.
 */
export async function listExpiredOpinions(db: Executor, cutoff: string, limit?: number): Promise<PersonRow[]> {
  const settledSince = sql<string>`coalesce((
      select max(a.created_at) from audit_log a
      where a.entity_type = 'opinion' and a.entity_id = cast(opinions.id as text) and a.action = 'opinion.status'
        and json_extract(a.before_json, '$.status') in (${sql.join(OPEN_STATUSES)})
        and json_extract(a.after_json, '$.status') in (${sql.join(SETTLED_STATUSES)})
    ), opinions.updated_at)`;
  let query = db
    .selectFrom('opinions')
    .select(['id', 'name', 'email', 'phone', 'address'])
    .where('received_at', '<', cutoff)
    .where('status', 'in', SETTLED_STATUSES)
    .where('personal_data_removed_at', 'is', null)
    .where((eb) =>
      eb.or(
        ['name', 'email', 'phone', 'address', 'client_hash', 'user_agent'].map((c) => eb(c as 'name', 'is not', null)),
      ),
    )
    .where(settledSince, '<', cutoff)
    .orderBy('id');
  if (limit !== undefined) query = query.limit(limit);
  return query.execute();
}

export type RetentionResult = RemovalCounts & { months: number; cutoff: string; dryRun: boolean };

/**
 * One retention run. A dry run counts and changes nothing (and writes no audit
 * row). A real run works in transactions of up to 500 opinions, each with one
 * audit row `opinion.retention` carrying its counts; a run with nothing to do
 * still writes one row (with zeros), so the log shows that it ran.
 */
export async function runRetention(
  db: DB,
  options: { months: number; now?: Date; dryRun?: boolean; actorLabel?: string },
): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const cutoff = retentionCutoff(now, options.months).toISOString();
  const base = { months: options.months, cutoff, dryRun: Boolean(options.dryRun) };
  if (options.dryRun) {
    return { ...base, ...(await countRemoval(db, await listExpiredOpinions(db, cutoff))) };
  }
  const total: RemovalCounts = { opinions: 0, messages: 0, withdrawnMessages: 0, notes: 0 };
  for (let first = true; ; first = false) {
    const counts = await db.transaction().execute(async (trx) => {
      const people = await listExpiredOpinions(trx, cutoff, BATCH);
      if (people.length === 0 && !first) return null;
      const counts = await removePersonalData(trx, people, 'retention', now.toISOString());
      await recordAudit(trx, {
        actor: null,
        actorLabel: options.actorLabel ?? 'system',
        action: 'opinion.retention',
        entityType: 'opinion',
        entityId: null,
        after: { months: options.months, cutoff, ...counts },
      });
      return counts;
    });
    if (!counts) break;
    for (const key of Object.keys(total) as Array<keyof RemovalCounts>) total[key] += counts[key];
    if (counts.opinions < BATCH) break;
  }
  return { ...base, ...total };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The server's daily run: once just after start (so a server restarted every
 * day still runs it), then every 24 hours. Returns a stopper that waits for a
 * run in progress. A failed run is logged and tried again the next day.
 */
export function startRetentionTimer(db: DB, months: number): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    running = runRetention(db, { months })
      .then((result) => log('info', 'retention', { ...result }))
      .catch((error) => log('error', 'retention failed', { error: String(error) }))
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, DAY_MS).unref();
      });
  };
  let timer: NodeJS.Timeout = setTimeout(tick, 0).unref();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
