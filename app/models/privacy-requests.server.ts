// A person's request about their own data: find every opinion stored with their
// email address or phone number, give them a copy (JSON, ./privacy-export.server.ts), or erase their
// personal data. Erasing keeps the register of opinions: the text, target,
// dates and status stay (the office must keep what it was told and what it
// did), the name, contact details, client hash and user agent go, the mail
// copies are masked and unsent mail to the person is withdrawn, exactly as
// the retention run does (./retention.server.ts). The audit log records who
// did it and the counts, with a keyed hash of the email or phone, never the
// value itself.
import { sql } from 'kysely';
import type { Channel, OpinionStatus } from '../../db/schema';
import { recordAudit } from '~/models/audit.server';
import { getReportOutlineById, opinionTarget } from '~/models/opinion-targets.server';
import { removePersonalData, type PersonRow, type RemovalCounts } from '~/models/personal-data.server';
import { phoneDigits, type PrivacyQuery } from '~/schemas/privacy';
import { hashClient } from '~/server/client-hash.server';
import { removeUnreferencedFiles } from './attachments.server';
import { isPostgres } from '../../db/dialect';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import type { Target } from '~/utils/format';

/**
 * The national number, so that +86 573-8272-2291, 0573 8272 2291 and
 * ０５７３８２７２２２９１ are one number: digits only (full-width folded), the
 * country code (86, 81) dropped when the number was written with + or 00, and
 * the trunk prefix 0 dropped.
 */
export function phoneKey(phone: string): string {
  let digits = phoneDigits(phone);
  if (/^\s*(?:\+|00)/.test(phone.normalize('NFKC'))) digits = digits.replace(/^(?:00)?(?:86|81)/, '');
  return digits.replace(/^0+/, '');
}

/** A keyed hash naming the person in the audit log (the same key as client addresses). */
export function personHash(query: PrivacyQuery): string {
  return hashClient(query.kind === 'email' ? `email:${query.email}` : `phone:${phoneKey(query.value)}`);
}

type MatchedRow = PersonRow & {
  tracking_number: string;
  report_id: number;
  section_number: number;
  item_number: number | null;
  body: string;
  channel: Channel;
  status: OpinionStatus;
  received_at: string;
  due_at: string;
  updated_at: string;
  reply_wanted: 0 | 1;
  public_ok: 0 | 1;
  consent: 0 | 1;
  client_hash: string | null;
  user_agent: string | null;
};

/** Opinions stored with this email (any case) or this phone number (any way of writing it). */
export async function matchOpinions(db: DB, query: PrivacyQuery, onlyIds?: number[]): Promise<MatchedRow[]> {
  let q = db
    .selectFrom('opinions')
    .select([
      'id',
      'tracking_number',
      'report_id',
      'section_number',
      'item_number',
      'body',
      'name',
      'email',
      'phone',
      'address',
      'channel',
      'status',
      'received_at',
      'due_at',
      'updated_at',
      'reply_wanted',
      'public_ok',
      'consent',
      'client_hash',
      'user_agent',
    ])
    .orderBy('received_at')
    .orderBy('id');
  if (onlyIds) q = q.where('id', 'in', onlyIds.length > 0 ? onlyIds : [0]);
  if (query.kind === 'email') {
    return q.where((eb) => eb(eb.fn('lower', [eb.fn('trim', ['email'])]), '=', query.email)).execute();
  }
  // Phone numbers are written every way; compare their national numbers. A scan
  // of the opinions that have a phone: fine for an admin's occasional request.
  const key = phoneKey(query.value);
  const rows = await q.where('phone', 'is not', null).execute();
  return rows.filter((r) => phoneKey(r.phone!) === key);
}

export async function targetOf(db: DB, row: MatchedRow): Promise<{ target: Target; reportTitle: string }> {
  const outline = await getReportOutlineById(db, row.report_id);
  return {
    reportTitle: outline?.title ?? '',
    target: opinionTarget(outline, row.section_number, row.item_number),
  };
}

export type PersonOpinion = {
  id: number;
  trackingNumber: string;
  receivedAt: string;
  channel: Channel;
  status: OpinionStatus;
  target: Target;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  messageCount: number;
  replyPublished: boolean;
};

export type PersonalDataFound = {
  opinions: PersonOpinion[];
  /** Earlier erasures recorded for the same email or phone (found by its hash). */
  erasures: Array<{ at: string; opinions: number }>;
};

async function messageCounts(db: DB, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['opinion_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('opinion_id', 'in', ids)
    .groupBy('opinion_id')
    .execute();
  return new Map(rows.map((r) => [r.opinion_id!, Number(r.n)]));
}

export async function publishedReplies(db: DB, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('official_replies')
    .select(['opinion_id', 'body', 'show_opinion', 'redacted_opinion', 'published_at', 'updated_at'])
    .where('opinion_id', 'in', ids)
    .where('status', '=', 'published')
    .execute();
}

/** Everything stored for the email or phone, for the admin to review. */
export async function findPersonalData(db: DB, query: PrivacyQuery): Promise<PersonalDataFound> {
  const rows = await matchOpinions(db, query);
  const ids = rows.map((r) => r.id);
  const [counts, replies, erasures] = await Promise.all([
    messageCounts(db, ids),
    publishedReplies(db, ids),
    db
      .selectFrom('audit_log')
      .select(['created_at', 'after_json'])
      .where('action', '=', 'opinion.erase')
      .where(isPostgres(db) ? sql`(after_json::jsonb ->> 'subjectHash')` : sql`json_extract(after_json, '$.subjectHash')`, '=', personHash(query))
      .orderBy('created_at')
      .execute(),
  ]);
  const answered = new Set(replies.map((r) => r.opinion_id));
  const opinions: PersonOpinion[] = [];
  for (const r of rows) {
    opinions.push({
      id: r.id,
      trackingNumber: r.tracking_number,
      receivedAt: r.received_at,
      channel: r.channel,
      status: r.status,
      target: (await targetOf(db, r)).target,
      body: r.body,
      name: r.name,
      email: r.email,
      phone: r.phone,
      address: r.address,
      messageCount: counts.get(r.id) ?? 0,
      replyPublished: answered.has(r.id),
    });
  }
  return {
    opinions,
    erasures: erasures.map((e) => ({
      at: e.created_at,
      opinions: Number((JSON.parse(e.after_json ?? '{}') as { opinions?: number }).opinions ?? 0),
    })),
  };
}


export type ErasureResult = RemovalCounts & { trackingNumbers: string[] };

/**
 * Erases the person's data from the opinions the admin reviewed (`opinionIds`)
 * that still match: one transaction with its audit row. An opinion that
 * arrived after the review is left for a new search, so nothing is erased
 * that the admin did not see.
 */
export async function erasePersonalData(
  db: DB,
  actor: StaffUser,
  query: PrivacyQuery,
  opinionIds: number[],
): Promise<ErasureResult> {
  const subjectHash = personHash(query);
  const orphanedFiles: string[] = [];
  const result = await db.transaction().execute(async (trx) => {
    const rows = await matchOpinions(trx, query, opinionIds);
    const counts = await removePersonalData(trx, rows, 'request', new Date().toISOString(), orphanedFiles);
    const trackingNumbers = rows.map((r) => r.tracking_number);
    await recordAudit(trx, {
      actor,
      action: 'opinion.erase',
      entityType: 'opinion',
      entityId: null,
      after: { matchedBy: query.kind, subjectHash, ...counts, trackingNumbers: trackingNumbers.join(', ') },
    });
    return { ...counts, trackingNumbers };
  });
  await removeUnreferencedFiles(db, orphanedFiles);
  return result;
}
