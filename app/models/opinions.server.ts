import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Channel, Database, OpinionStatus } from '../../db/schema';
import { getCommentPeriod, getReportContacts, getReportPage, type ReportSection } from '~/models/reports.server';
import { isAcceptingOpinions } from '~/domain/comment-period';
import type { DB } from '~/server/db.server';
import { computeDueAt } from '~/domain/due-date';
import { getEnv } from '~/utils/env.server';
import { citizenAcknowledgement, officeNotification, type OpinionMailContext } from '~/mail/templates.server';
import { enqueueMessage } from '~/mail/outbox.server';
import { countRecentAcknowledgements } from '~/mail/ack-limit.server';
import { runQueuedWrite } from '~/server/write-queue.server';
import { generateReceiptToken, generateTrackingNumber, isUniqueViolation } from '~/domain/tracking-number.server';

export type CreateOpinionInput = {
  reportId: number;
  sectionNumber: number;
  itemNumber: number | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** Postal address for an answer by post; only staff record one (absent = none). */
  address?: string | null;
  replyWanted: boolean;
  publicOk: boolean;
  consent: boolean;
  channel: Channel;
  receivedAt: Date;
  clientHash: string | null;
  userAgent: string | null;
  formToken: string | null;
  recordedById: number | null;
};

export type CreatedOpinion = {
  id: number;
  trackingNumber: string;
  receiptToken: string;
  duplicate: boolean;
  /** An email was given but the acknowledgement was not queued (the per-address cap). */
  ackWithheld: boolean;
};

export const DEDUPE_WINDOW_MS = 10 * 60 * 1000;

// --- Report outline (what an opinion can be about) ---------------------------

export type ReportOutline = {
  reportId: number;
  slug: string;
  title: string;
  phone: string;
  mailbox: string;
  /** Who issued the notice: the sender of a printed acknowledgement. */
  issuer: string;
  sections: ReportSection[];
};

// Every opinion needs the report's sections and channels; they change only
// when a notice is re-imported, so a few seconds of caching saves two queries
// per request under load. Keyed per database so tests stay isolated.
const OUTLINE_TTL_MS = 5_000;
const outlineCache = new WeakMap<DB, Map<string, { at: number; outline: ReportOutline | null }>>();

async function cachedOutline(db: DB, key: string, load: () => Promise<ReportOutline | null>): Promise<ReportOutline | null> {
  let cache = outlineCache.get(db);
  if (!cache) outlineCache.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < OUTLINE_TTL_MS) return hit.outline;
  const outline = await load();
  if (cache.size > 1000) cache.clear();
  cache.set(key, { at: Date.now(), outline });
  return outline;
}

/** The sections, items and published channels of a report, by slug. */
export function getReportOutline(db: DB, slug: string): Promise<ReportOutline | null> {
  return cachedOutline(db, `slug:${slug}`, async () => {
    const page = await getReportPage(db, slug);
    return page
      ? {
          reportId: page.id,
          slug: page.slug,
          title: page.title,
          phone: page.phone,
          mailbox: page.mailbox,
          issuer: page.issuer,
          sections: page.sections,
        }
      : null;
  });
}

/** The same, by report id. */
export async function getReportOutlineById(db: DB, reportId: number): Promise<ReportOutline | null> {
  return cachedOutline(db, `id:${reportId}`, async () => {
    const contacts = await getReportContacts(db, reportId);
    return contacts ? getReportOutline(db, contacts.slug) : null;
  });
}

/** A section/item pair that exists in the report, or a Japanese reason why not. */
export function checkOpinionTarget(outline: ReportOutline, sectionNumber: number, itemNumber: number | null): string | null {
  if (sectionNumber === 0) return itemNumber === null ? null : '通報全体への意見では小項目を選べません。';
  const section = outline.sections.find((s) => s.number === sectionNumber);
  if (!section) return `この通報に第${sectionNumber}項はありません。ページを読み込み直してください。`;
  if (itemNumber !== null && !section.items.some((i) => i.number === itemNumber)) {
    return 'この項目に、選ばれた小項目はありません。一覧から選び直してください。';
  }
  return null;
}

export class OpinionTargetError extends Error {}

export function sectionTitle(outline: ReportOutline, n: number): string {
  return n === 0 ? '通報全体' : (outline.sections.find((s) => s.number === n)?.title ?? '');
}

export function itemHeading(outline: ReportOutline, section: number, item: number | null): string | null {
  if (item === null) return null;
  return outline.sections.find((s) => s.number === section)?.items.find((i) => i.number === item)?.heading ?? null;
}

// --- Creating -----------------------------------------------------------------

/**
 * Stores an opinion and queues its mail (to each office address, and an
 * acknowledgement to the citizen when an email was given) in one transaction
 * (a group commit shared with concurrent opinions, see write-queue.server.ts).
 * The same form render posted twice, or the same body on the same section from
 * the same client within 10 minutes, returns the first opinion with
 * `duplicate: true` and writes nothing. When ACK_LIMIT_PER_ADDRESS
 * acknowledgements already went to the address in 24 hours, the opinion is
 * stored and the office told as always; only the acknowledgement is skipped,
 * and the opinion says so (ack_withheld).
 */
export async function createOpinion(db: DB, input: CreateOpinionInput): Promise<CreatedOpinion> {
  const prepared = await prepareOpinion(db, input);
  // Shares its transaction (and its durable commit) with opinions arriving at
  // the same moment; resolves only after that commit.
  return runQueuedWrite(db, (trx) => insertOpinion(trx, prepared));
}

/** An opinion whose target has been checked against its report, ready to insert. */
export type PreparedOpinion = { input: CreateOpinionInput; outline: ReportOutline; outsidePeriod?: boolean };

/**
 * Checks the target (OpinionTargetError when the report, section or item does
 * not exist). An opinion staff record (phone, post, visit) that was received
 * outside the notice's comment period is kept and marked 期間外; the web form
 * refuses such a post before it gets here.
 */
export async function prepareOpinion(db: DB, input: CreateOpinionInput): Promise<PreparedOpinion> {
  const outline = await getReportOutlineById(db, input.reportId);
  if (!outline) throw new OpinionTargetError(`report ${input.reportId} does not exist`);
  const targetError = checkOpinionTarget(outline, input.sectionNumber, input.itemNumber);
  if (targetError) throw new OpinionTargetError(targetError);
  if (input.channel === 'web') return { input, outline };
  const period = await getCommentPeriod(db, input.reportId);
  return { input, outline, outsidePeriod: period ? !isAcceptingOpinions(period, input.receivedAt) : false };
}

/** What makes two opinions the same for the double-submission check, hashed (opinions.content_key). */
function opinionContentKey(input: CreateOpinionInput, address: string | null): string {
  const said = [input.reportId, input.sectionNumber, input.itemNumber, input.body, input.name, input.email, input.phone, address, input.publicOk, input.replyWanted];
  return crypto.createHash('sha256').update(JSON.stringify(said)).digest('base64url').slice(0, 22);
}

/**
 * The writes of createOpinion inside a transaction the caller holds, so that
 * a caller can add its own rows (an audit entry) to the same commit.
 */
export async function insertOpinion(trx: Transaction<Database>, { input, outline, outsidePeriod }: PreparedOpinion): Promise<CreatedOpinion> {
  const env = getEnv();
  const now = new Date();
  const nowIso = now.toISOString();
  const receivedAt = input.receivedAt.toISOString();
  const dueAt = computeDueAt(input.receivedAt, env.SLA_DAYS);
  const address = input.address ?? null;
  // A double submission is the same content (target, text, name, contacts and
  // choices) sent again: from the same form render, or from the same client
  // within 10 minutes. A shared token or a shared address alone (a cached
  // page, a carrier NAT) never hands one person's receipt to another. A
  // resubmission that changes publicOk or replyWanted is a new opinion: the
  // person's latest choice is never silently dropped.
  let formToken = input.formToken;
  const contentKey = opinionContentKey(input, address);
  if (input.formToken || input.clientHash) {
    const since = new Date(now.getTime() - DEDUPE_WINDOW_MS).toISOString();
    const first = await trx
      .selectFrom('opinions')
      .select(['id', 'tracking_number', 'receipt_token'])
      .where((eb) => {
        const either = [];
        if (input.formToken) either.push(eb('form_token', '=', input.formToken));
        // Through opinions_client_content: only this client's identical opinions are read.
        if (input.clientHash)
          either.push(eb.and([eb('client_hash', '=', input.clientHash), eb('content_key', '=', contentKey), eb('created_at', '>=', since)]));
        // The unary + keeps the planner off opinions_section (every opinion
        // about the section): only the form token or the client's identical
        // opinions are looked up, the rest is compared on those few rows.
        return eb.and([
          sql<boolean>`+report_id = ${input.reportId}`,
          sql<boolean>`+section_number = ${input.sectionNumber}`,
          eb('body', '=', input.body),
          sql<boolean>`item_number is ${input.itemNumber}`,
          sql<boolean>`name is ${input.name}`,
          sql<boolean>`email is ${input.email}`,
          sql<boolean>`phone is ${input.phone}`,
          sql<boolean>`address is ${address}`,
          eb('public_ok', '=', input.publicOk ? 1 : 0),
          eb('reply_wanted', '=', input.replyWanted ? 1 : 0),
          eb.or(either),
        ]);
      })
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (first)
      return {
        id: first.id,
        trackingNumber: first.tracking_number,
        receiptToken: first.receipt_token,
        duplicate: true,
        ackWithheld: false,
      };
    // The token came with different content (an old tab, a shared cache): a new opinion.
    if (formToken) {
      const used = await trx.selectFrom('opinions').select('id').where('form_token', '=', formToken).executeTakeFirst();
      if (used) formToken = null;
    }
  }

  // Counted in this transaction, so acknowledgements queued by opinions
  // committed together (or before a restart) count too.
  const ackWithheld =
    input.email !== null && (await countRecentAcknowledgements(trx, input.email, now)) >= env.ACK_LIMIT_PER_ADDRESS;

  let inserted: { id: number; tracking_number: string; receipt_token: string } | undefined;
  for (let attempt = 0; !inserted; attempt++) {
    try {
      inserted = await trx
        .insertInto('opinions')
        .values({
          tracking_number: generateTrackingNumber(input.receivedAt),
          receipt_token: generateReceiptToken(),
          report_id: input.reportId,
          section_number: input.sectionNumber,
          item_number: input.itemNumber,
          body: input.body,
          name: input.name,
          email: input.email,
          phone: input.phone,
          address,
          reply_wanted: input.replyWanted ? 1 : 0,
          public_ok: input.publicOk ? 1 : 0,
          consent: input.consent ? 1 : 0,
          channel: input.channel,
          received_at: receivedAt,
          due_at: dueAt,
          client_hash: input.clientHash,
          user_agent: input.userAgent,
          form_token: formToken,
          content_key: contentKey,
          recorded_by_id: input.recordedById,
          outside_period: outsidePeriod ? 1 : 0,
          created_at: nowIso,
          updated_at: nowIso,
          ack_withheld: ackWithheld ? 'address_limit' : null,
        })
        .returning(['id', 'tracking_number', 'receipt_token'])
        .executeTakeFirstOrThrow();
    } catch (error) {
      // 40 random bits per year: a collision is rare, and a new draw fixes it.
      if (attempt < 5 && (isUniqueViolation(error, 'tracking_number') || isUniqueViolation(error, 'receipt_token'))) continue;
      throw error;
    }
  }

  const mail: OpinionMailContext = {
    opinionId: inserted.id,
    trackingNumber: inserted.tracking_number,
    reportTitle: outline.title,
    sectionNumber: input.sectionNumber,
    sectionTitle: sectionTitle(outline, input.sectionNumber),
    itemNumber: input.itemNumber,
    itemHeading: itemHeading(outline, input.sectionNumber, input.itemNumber),
    body: input.body,
    name: input.name,
    email: input.email,
    phone: input.phone,
    replyWanted: input.replyWanted,
    publicOk: input.publicOk,
    channel: input.channel,
    receivedAt,
    dueAt,
    contactPhone: outline.phone,
    contactMailbox: outline.mailbox,
    publicUrl: env.PUBLIC_URL,
    ackWithheldAfter: ackWithheld ? env.ACK_LIMIT_PER_ADDRESS : null,
  };
  const office = officeNotification(mail);
  for (const recipient of env.OFFICE_EMAIL) {
    await enqueueMessage(trx, { opinionId: inserted.id, kind: 'office_notification', recipient, ...office });
  }
  if (input.email && !ackWithheld) {
    const ack = citizenAcknowledgement(mail);
    await enqueueMessage(trx, { opinionId: inserted.id, kind: 'citizen_ack', recipient: input.email, ...ack });
  }
  return {
    id: inserted.id,
    trackingNumber: inserted.tracking_number,
    receiptToken: inserted.receipt_token,
    duplicate: false,
    ackWithheld,
  };
}

// --- Reading (public-safe: never the name or contact) ---------------------------

export type OpinionReceipt = {
  trackingNumber: string;
  receivedAt: string;
  dueAt: string;
  sectionNumber: number;
  sectionTitle: string;
  itemNumber: number | null;
  itemHeading: string | null;
  body: string;
  replyWanted: boolean;
  publicOk: boolean;
  status: OpinionStatus;
  reportSlug: string;
  reportTitle: string;
  phone: string;
  mailbox: string;
};

async function outlineFor(db: DB, reportId: number): Promise<ReportOutline> {
  const outline = await getReportOutlineById(db, reportId);
  if (!outline) throw new Error(`report ${reportId} has no revision`);
  return outline;
}

/** The receipt behind an unguessable token, or null. */
export async function getOpinionByReceiptToken(db: DB, token: string): Promise<OpinionReceipt | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  const row = await db
    .selectFrom('opinions')
    .select([
      'report_id',
      'tracking_number',
      'received_at',
      'due_at',
      'section_number',
      'item_number',
      'body',
      'reply_wanted',
      'public_ok',
      'status',
    ])
    .where('receipt_token', '=', token)
    .executeTakeFirst();
  if (!row) return null;
  const outline = await outlineFor(db, row.report_id);
  return {
    trackingNumber: row.tracking_number,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    sectionNumber: row.section_number,
    sectionTitle: sectionTitle(outline, row.section_number),
    itemNumber: row.item_number,
    itemHeading: itemHeading(outline, row.section_number, row.item_number),
    body: row.body,
    replyWanted: row.reply_wanted === 1,
    publicOk: row.public_ok === 1,
    status: row.status,
    reportSlug: outline.slug,
    reportTitle: outline.title,
    phone: outline.phone,
    mailbox: outline.mailbox,
  };
}

export type PublishedReply = {
  body: string;
  publishedAt: string | null;
  updatedAt: string;
  showOpinion: boolean;
  redactedOpinion: string | null;
};

export type OpinionStatusView = {
  trackingNumber: string;
  status: OpinionStatus;
  receivedAt: string;
  sectionNumber: number;
  sectionTitle: string;
  itemNumber: number | null;
  itemHeading: string | null;
  reportSlug: string;
  reportTitle: string;
  phone: string;
  mailbox: string;
  reply: PublishedReply | null;
};

/** The status of an opinion and its published reply, or null. No text of the opinion, no person. */
export async function getOpinionStatusByTrackingNumber(db: DB, trackingNumber: string): Promise<OpinionStatusView | null> {
  const row = await db
    .selectFrom('opinions as o')
    .leftJoin('official_replies as r', (j) => j.onRef('r.opinion_id', '=', 'o.id').on('r.status', '=', 'published'))
    .select([
      'o.report_id',
      'o.tracking_number',
      'o.status',
      'o.received_at',
      'o.section_number',
      'o.item_number',
      'o.public_ok',
      'r.id as reply_id',
      'r.body as reply_body',
      'r.published_at',
      'r.updated_at as reply_updated_at',
      'r.show_opinion',
      'r.redacted_opinion',
    ])
    .where('o.tracking_number', '=', trackingNumber)
    .executeTakeFirst();
  if (!row) return null;
  const outline = await outlineFor(db, row.report_id);
  return {
    trackingNumber: row.tracking_number,
    status: row.status,
    receivedAt: row.received_at,
    sectionNumber: row.section_number,
    sectionTitle: sectionTitle(outline, row.section_number),
    itemNumber: row.item_number,
    itemHeading: itemHeading(outline, row.section_number, row.item_number),
    reportSlug: outline.slug,
    reportTitle: outline.title,
    phone: outline.phone,
    mailbox: outline.mailbox,
    reply:
      row.reply_id !== null
        ? {
            body: row.reply_body ?? '',
            publishedAt: row.published_at,
            updatedAt: row.reply_updated_at ?? '',
            // Shown only while the citizen's consent stands, as on the public pages.
            showOpinion: row.show_opinion === 1 && row.public_ok === 1,
            redactedOpinion: row.show_opinion === 1 && row.public_ok === 1 ? row.redacted_opinion : null,
          }
        : null,
  };
}

/** The phone and mailbox of the most recently published report (for pages outside a report). */
export async function getPublishedContacts(db: DB): Promise<{ phone: string; mailbox: string } | null> {
  const row = await db
    .selectFrom('report_revisions')
    .select(['phone', 'mailbox'])
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
