// Removing a person's data from an opinion, one way for both reasons: the
// retention period ran out (./retention.server.ts) or the person asked
// (./privacy-requests.server.ts). The name, contact details, client hash and
// user agent go; the text, target, dates, status and unit stay. The opinion's
// mail copies are masked (and their .eml files removed), mail to the person
// not yet sent is withdrawn, and the old address notes are cleared; the
// full-text index follows the name through its update trigger.
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { Database, PersonalDataRemovedReason } from '../../db/schema';
import { REDACTION_MASK, redactSubmitterDetails, type Submitter } from '~/domain/redact';
import { escapeHtml } from '~/mail/envelope.server';
import { isPostgres } from '../../db/dialect';
import type { DB } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { deleteOpinionAttachments } from './attachments.server';


/** What a removed recipient address reads as in the outbox. */
export const REMOVED_RECIPIENT = '(削除済み)';
/** Until 2026-12 a postal address was kept as an internal note with this prefix (and its audit row). */
const ADDRESS_NOTE_PREFIX = '郵送先の住所:';
const REMOVED_ADDRESS_NOTE = `${ADDRESS_NOTE_PREFIX}(削除済み)`;

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
  const values = [person.name, person.email, person.phone, person.address].filter((v): v is string =>
    Boolean(v?.trim()),
  );
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
async function planRemoval(db: DB, people: PersonRow[]): Promise<{ messages: MessagePlan[]; noteIds: number[] }> {
  if (people.length === 0) return { messages: [], noteIds: [] };
  const byId = new Map(people.map((p) => [p.id, p]));
  const ids = [...byId.keys()];
  const rows = await db
    .selectFrom('outbox_messages')
    .select([
      'id',
      'message_id',
      'opinion_id',
      'kind',
      'recipient',
      'subject',
      'text_body',
      'html_body',
      'status',
      'last_error',
    ])
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
export async function countRemoval(db: DB, people: PersonRow[]): Promise<RemovalCounts> {
  return countsOf(people, await planRemoval(db, people));
}

/**
 * Removes the personal data of these opinions inside the caller's transaction
 * (which also writes the audit row). The full-text index follows the name
 * through its update trigger. Internal notes written by staff are left as they
 * are (they are the office's working record), except the old address notes.
 * Attachments (a photo may show a face or a house, a letter a signature) are
 * deleted: their rows here, their files by the caller after the commit
 * (`orphanedFiles` collects their hashes for removeUnreferencedFiles; the
 * housekeeping sweep removes any a caller leaves).
 */
export async function removePersonalData(
  trx: Transaction<Database>,
  people: PersonRow[],
  reason: PersonalDataRemovedReason,
  now: string = new Date().toISOString(),
  orphanedFiles: string[] = [],
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
          // The acknowledgement cap's key is the address itself.
          mailbox_key: null,
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
      .set({
        after_json: isPostgres(trx)
          ? sql<string>`jsonb_set(after_json::jsonb, '{body}', to_jsonb(${REMOVED_ADDRESS_NOTE}::text))::text`
          : sql<string>`json_set(after_json, '$.body', ${REMOVED_ADDRESS_NOTE})`,
      })
      .where('action', '=', 'opinion.note')
      .where('entity_type', '=', 'opinion')
      .where('entity_id', 'in', ids.map(String))
      .where(isPostgres(trx) ? sql<string>`(after_json::jsonb ->> 'body')` : sql<string>`json_extract(after_json, '$.body')`, 'like', `${ADDRESS_NOTE_PREFIX}%`)
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
  orphanedFiles.push(...(await deleteOpinionAttachments(trx, ids)));
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
    // A `.partial` is a message a crash left half-written (the file transport renames when whole).
    const unique = /-([0-9a-f-]{36})\.eml(?:\.partial)?$/i.exec(file)?.[1];
    if (unique && uniques.has(unique)) fs.rmSync(path.join(dir, file), { force: true });
  }
}
