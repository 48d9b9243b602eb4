// Official replies: a moderator answers an opinion, optionally beside a
// redacted copy of it, and the public reads the answers per section. Every
// change writes its audit row (and any mail) in the same transaction; a change
// to what the public sees then drops the report page cache.
//
// "Public now" means status = 'published' (PUBLIC_REPLY_STATUS): a withdrawn
// reply keeps its published_at, so published_at alone does not say it.
import { sql, type Transaction } from 'kysely';
import type { Database, OpinionStatus, ReplyStatus } from '../../db/schema';
import { OPINION_STATUSES } from '../../db/schema';
import { recordAudit } from '~/models/audit.server';
import { getReportContacts, getSectionTitles } from '~/models/reports.server';
import { REPLY_MESSAGES, replyContentSchema, unpublishReasonSchema, type ReplyContent } from '~/schemas/reply';
import type { DB } from '~/server/db.server';
import { invalidateReportPages } from '~/server/page-cache.server';
import type { StaffUser } from '~/server/session.server';
import { getEnv } from '~/utils/env.server';
import { enqueueMessage } from '~/mail/outbox.server';
import { redactOpinion } from '~/domain/redact';
import { findPublicationPersonalData, openFindings, type PersonalDataFinding } from '~/domain/personal-data';
import { replyNotification } from '~/mail/reply-mail.server';
import { UserError } from '~/utils/user-error.server';

export const REPLIES_PER_PAGE = 10;

/** The one status in which a reply is on the public pages (and counts as "replied" on the dashboard). */
export const PUBLIC_REPLY_STATUS = 'published' satisfies ReplyStatus;

export function isReplyPublic(status: ReplyStatus): boolean {
  return status === PUBLIC_REPLY_STATUS;
}

/** Where an opinion goes when its only public reply is withdrawn and its earlier status is unknown. */
export const STATUS_AFTER_WITHDRAWAL: OpinionStatus = 'in_progress';

type Executor = DB | Transaction<Database>;

export type ReplyInput = {
  body: string;
  showOpinion: boolean;
  redactedOpinion: string | null;
  /** On an edit of a published reply: tell the citizen again. */
  renotify?: boolean;
  /** Keys of findings the moderator ticked as "checked: this is not personal data". */
  notPersonalData?: readonly string[];
};

/**
 * Publishing refused because the reply or the shown copy still holds what
 * looks like personal data; `findings` are the open ones, for the editor to
 * list beside their tick boxes.
 */
export class PersonalDataError extends UserError {
  constructor(
    message: string,
    readonly findings: PersonalDataFinding[],
  ) {
    super(message, 400);
    this.name = 'PersonalDataError';
  }
}

/** One answered opinion as the public sees it: no tracking number, no person. */
export type PublicReply = {
  id: number;
  sectionNumber: number;
  itemNumber: number | null;
  receivedAt: string;
  /** The redacted opinion, only when the citizen agreed and the moderator chose to show it. */
  opinion: string | null;
  body: string;
  publishedAt: string;
  /** Set only when the reply was changed after it was first published. */
  updatedAt: string | null;
  /** The one image a moderator published beside the reply (its re-encoded copy), or null. */
  imageId: number | null;
};

export type ReplyState = {
  id: number;
  status: ReplyStatus;
  body: string;
  showOpinion: boolean;
  redactedOpinion: string | null;
  publishedAt: string | null;
  updatedAt: string;
  unpublishedReason: string | null;
};

export type ReplyRevision = {
  id: number;
  body: string;
  showOpinion: boolean;
  redactedOpinion: string | null;
  createdAt: string;
  createdBy: string;
  /** The version the public sees now (the newest, while the reply is published). */
  isPublic: boolean;
};

export type ReplyEditorData = {
  opinion: {
    id: number;
    trackingNumber: string;
    reportId: number;
    reportSlug: string;
    reportTitle: string;
    sectionNumber: number;
    sectionTitle: string;
    itemNumber: number | null;
    itemHeading: string | null;
    body: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    address: string | null;
    publicOk: boolean;
    status: OpinionStatus;
    receivedAt: string;
  };
  reply: ReplyState | null;
  /** The stored redacted copy, or the opinion pre-redacted when none is stored yet. */
  redactedOpinion: string;
  /** Newest first. */
  revisions: ReplyRevision[];
  /** The "公開前の確認" list for the stored text. */
  findings: PersonalDataFinding[];
};

async function loadOpinion(db: Executor, opinionId: number) {
  const opinion = await db
    .selectFrom('opinions')
    .select(['id', 'tracking_number', 'report_id', 'section_number', 'item_number', 'received_at', 'body', 'name', 'email', 'phone', 'address', 'public_ok', 'status'])
    .where('id', '=', opinionId)
    .executeTakeFirst();
  if (!opinion) throw new UserError('指定された意見が見つかりません。', 404);
  return opinion;
}

type OpinionRow = Awaited<ReturnType<typeof loadOpinion>>;

async function loadReply(db: Executor, opinionId: number): Promise<ReplyState | null> {
  const row = await db.selectFrom('official_replies').selectAll().where('opinion_id', '=', opinionId).executeTakeFirst();
  return row
    ? {
        id: row.id,
        status: row.status,
        body: row.body,
        showOpinion: row.show_opinion === 1,
        redactedOpinion: row.redacted_opinion,
        publishedAt: row.published_at,
        updatedAt: row.updated_at,
        unpublishedReason: row.unpublished_reason,
      }
    : null;
}

/** Everything the reply editor shows for one opinion, or null when there is no such opinion. */
export async function getReplyDraftForOpinion(db: DB, opinionId: number): Promise<ReplyEditorData | null> {
  const opinion = await db.selectFrom('opinions').selectAll().where('id', '=', opinionId).executeTakeFirst();
  if (!opinion) return null;
  const [contacts, titles, reply] = await Promise.all([
    getReportContacts(db, opinion.report_id),
    getSectionTitles(db, opinion.report_id),
    loadReply(db, opinionId),
  ]);
  const section = titles.get(opinion.section_number);
  const revisions = reply
    ? await db
        .selectFrom('official_reply_revisions as v')
        .leftJoin('users as u', 'u.id', 'v.created_by_id')
        .select(['v.id', 'v.body', 'v.show_opinion', 'v.redacted_opinion', 'v.created_at', 'u.display_name'])
        .where('v.reply_id', '=', reply.id)
        .orderBy('v.id', 'desc')
        .execute()
    : [];
  const published = reply !== null && isReplyPublic(reply.status);
  const redactedOpinion = reply?.redactedOpinion ?? redactOpinion(opinion.body, opinion);
  return {
    opinion: {
      id: opinion.id,
      trackingNumber: opinion.tracking_number,
      reportId: opinion.report_id,
      reportSlug: contacts?.slug ?? '',
      reportTitle: contacts?.title ?? '',
      sectionNumber: opinion.section_number,
      sectionTitle: opinion.section_number === 0 ? '通報全体' : (section?.title ?? ''),
      itemNumber: opinion.item_number,
      itemHeading: opinion.item_number === null ? null : (section?.items.get(opinion.item_number) ?? null),
      body: opinion.body,
      name: opinion.name,
      email: opinion.email,
      phone: opinion.phone,
      address: opinion.address,
      publicOk: opinion.public_ok === 1,
      status: opinion.status,
      receivedAt: opinion.received_at,
    },
    reply,
    redactedOpinion,
    findings: listedFindings(opinion, { body: reply?.body ?? '', redactedOpinion }),
    // Every publication writes a revision and a published reply cannot take a
    // draft, so while it is published the newest revision is what the public reads.
    revisions: revisions.map((v, i) => ({
      id: v.id,
      body: v.body,
      showOpinion: v.show_opinion === 1,
      redactedOpinion: v.redacted_opinion,
      createdAt: v.created_at,
      createdBy: v.display_name ?? '',
      isPublic: published && i === 0,
    })),
  };
}

// --- The rules a reply must meet ---------------------------------------------------

const REFUSALS = {
  noConsent: '投稿者が意見の公開に同意していないため、意見を公開することはできません。「意見を公開する」のチェックを外してください。',
  personalData: (copy: number, body: number, fixedOnly: boolean) =>
    [
      copy ? `公開する意見に、個人情報の可能性がある箇所が${copy}件あります。` : '',
      body ? `回答に、個人情報の可能性がある箇所が${body}件あります。` : '',
      fixedOnly
        ? '投稿者のメールアドレス・電話番号・住所は公開できません。●●●に置き換えるか削除してください。'
        : '「公開前の確認」の一覧を見て、個人情報なら●●●に置き換え、個人情報でなければ「個人情報ではないことを確認しました」にチェックしてから公開してください。',
    ].join(''),
} as const;

const WARNINGS = {
  noConsent: '投稿者が公開に同意していないため、意見は表示されません。',
  copyEmpty: '公開する意見(個人情報を伏せた写し)が空です。このままでは公開できません。',
  openFindings: (n: number) => `個人情報の可能性がある箇所のうち、確認が済んでいないものが${n}件あります(「公開前の確認」の一覧)。このままでは公開できません。`,
  bodyEmpty: '回答が空です。',
} as const;

/** Every finding in what publishing `content` would show (the copy only when it is shown). */
function publicationFindings(opinion: OpinionRow, content: ReplyContent): PersonalDataFinding[] {
  return findPublicationPersonalData(
    { body: content.body, showOpinion: content.showOpinion && opinion.public_ok === 1, redactedOpinion: content.redactedOpinion },
    opinion,
  );
}

/** The ticked findings that are really there now, as the publish audit row records them. */
function confirmedFindings(findings: PersonalDataFinding[], keys: readonly string[] | undefined) {
  const ticked = new Set(keys ?? []);
  return findings.filter((f) => f.confirmable && ticked.has(f.key)).map((f) => ({ field: f.field, kind: f.kind, text: f.text }));
}

/** Cleans and measures the text (the schema's rules, for every caller). */
function checkContent(input: ReplyInput): ReplyContent {
  const parsed = replyContentSchema.safeParse(input);
  if (!parsed.success) throw new UserError(parsed.error.issues[0].message);
  return parsed.data;
}

/** Refusals a moderator can act on, each naming the field. */
function checkInput(opinion: OpinionRow, input: ReplyInput, forPublishing: boolean): ReplyContent {
  const content = checkContent(input);
  if (content.showOpinion && opinion.public_ok !== 1) throw new UserError(REFUSALS.noConsent);
  if (forPublishing) {
    if (!content.body) throw new UserError(REPLY_MESSAGES.bodyEmpty);
    if (content.showOpinion && !content.redactedOpinion) throw new UserError(REPLY_MESSAGES.redactedOpinionEmpty);
    // A last lock: nothing that looks like personal data goes public unless a
    // moderator has looked at it and ticked it; the submitter's own contact never.
    const open = openFindings(publicationFindings(opinion, content), input.notPersonalData ?? []);
    if (open.length) {
      const inCopy = open.filter((f) => f.field === 'redactedOpinion').length;
      throw new PersonalDataError(REFUSALS.personalData(inCopy, open.length - inCopy, open.every((f) => !f.confirmable)), open);
    }
  }
  return content;
}

/**
 * What the "公開前の確認" list shows for the text in the editor: every finding
 * in the reply, and in the copy whenever the citizen's consent lets it be
 * shown (ticking 意見を公開する must not reveal new ones at the last step).
 */
export async function findReplyPersonalData(db: DB, opinionId: number, input: ReplyInput): Promise<PersonalDataFinding[]> {
  const opinion = await loadOpinion(db, opinionId);
  return listedFindings(opinion, input);
}

function listedFindings(opinion: OpinionRow, input: Pick<ReplyInput, 'body' | 'redactedOpinion'>): PersonalDataFinding[] {
  const parsed = replyContentSchema.safeParse({ ...input, showOpinion: true });
  const content = parsed.success ? parsed.data : { body: input.body, showOpinion: true, redactedOpinion: input.redactedOpinion ?? '', renotify: false };
  return publicationFindings(opinion, content);
}

export type ReplyPreview = { entry: PublicReply; warnings: string[]; findings: PersonalDataFinding[] };

/**
 * The entry exactly as the public list would render it, and what would stop
 * it being published (said as warnings: a preview is never refused).
 */
export async function previewReply(db: DB, opinionId: number, input: ReplyInput): Promise<ReplyPreview> {
  const [opinion, reply] = await Promise.all([loadOpinion(db, opinionId), loadReply(db, opinionId)]);
  const content = checkContent(input);
  const consented = opinion.public_ok === 1;
  const showOpinion = content.showOpinion && consented;
  const warnings: string[] = [];
  if (content.showOpinion && !consented) warnings.push(WARNINGS.noConsent);
  if (showOpinion && !content.redactedOpinion) warnings.push(WARNINGS.copyEmpty);
  const open = openFindings(publicationFindings(opinion, content), input.notPersonalData ?? []);
  if (open.length) warnings.push(WARNINGS.openFindings(open.length));
  const findings = listedFindings(opinion, content);
  if (!content.body) warnings.push(WARNINGS.bodyEmpty);
  const now = new Date().toISOString();
  return {
    entry: {
      id: reply?.id ?? 0,
      sectionNumber: opinion.section_number,
      itemNumber: opinion.item_number,
      receivedAt: opinion.received_at,
      opinion: showOpinion ? content.redactedOpinion : null,
      body: content.body,
      publishedAt: reply?.publishedAt ?? now,
      updatedAt: reply && isReplyPublic(reply.status) ? now : null,
      imageId: null,
    },
    warnings,
    findings,
  };
}

function snapshot(reply: ReplyState | null) {
  return reply
    ? {
        replyId: reply.id,
        status: reply.status,
        body: reply.body,
        showOpinion: reply.showOpinion,
        redactedOpinion: reply.redactedOpinion,
        publishedAt: reply.publishedAt,
        unpublishedReason: reply.unpublishedReason,
      }
    : null;
}

// --- Writes ------------------------------------------------------------------------

/** Saves the editor's text without publishing it (not for a reply that is public: edit that by publishing). */
export async function saveReplyDraft(db: DB, actor: StaffUser, opinionId: number, input: ReplyInput): Promise<ReplyState> {
  return db.transaction().execute(async (trx) => {
    const opinion = await loadOpinion(trx, opinionId);
    const checked = checkInput(opinion, input, false);
    const before = await loadReply(trx, opinionId);
    if (before && isReplyPublic(before.status)) {
      throw new UserError('公開中の回答は下書きにできません。「更新して公開」で編集するか、先に公開を取り下げてください。', 409);
    }
    const now = new Date().toISOString();
    const values = {
      body: checked.body,
      show_opinion: checked.showOpinion ? 1 : 0,
      redacted_opinion: checked.redactedOpinion || null,
      updated_at: now,
      updated_by_id: actor.id,
    } as const;
    if (before) {
      await trx.updateTable('official_replies').set(values).where('id', '=', before.id).execute();
    } else {
      await trx
        .insertInto('official_replies')
        .values({ ...values, opinion_id: opinionId, status: 'draft', created_by_id: actor.id, created_at: now })
        .execute();
    }
    const after = (await loadReply(trx, opinionId))!;
    await recordAudit(trx, { actor, action: 'reply.draft', entityType: 'opinion', entityId: opinionId, before: snapshot(before), after: snapshot(after) });
    return after;
  });
}

export type PublishResult = { reply: ReplyState; kind: 'publish' | 'edit'; notified: boolean; statusChanged: boolean };

/**
 * Publishes the reply (or updates a published one), keeps a revision, moves
 * the opinion to 回答済 unless it is closed, and on the first publication tells
 * a citizen who gave an email (an edit only when `renotify`). The status the
 * opinion had is kept in the reply.publish audit row (opinionStatusBefore), so
 * that withdrawing the reply can put it back.
 */
export async function publishReply(db: DB, actor: StaffUser, opinionId: number, input: ReplyInput): Promise<PublishResult> {
  const result = await db.transaction().execute(async (trx) => {
    const opinion = await loadOpinion(trx, opinionId);
    const checked = checkInput(opinion, input, true);
    const notPersonalData = confirmedFindings(publicationFindings(opinion, checked), input.notPersonalData);
    const before = await loadReply(trx, opinionId);
    const now = new Date().toISOString();
    const kind = before && isReplyPublic(before.status) ? 'edit' : 'publish';
    const firstPublication = !before?.publishedAt;
    const values = {
      body: checked.body,
      show_opinion: checked.showOpinion ? 1 : 0,
      redacted_opinion: checked.redactedOpinion || null,
      status: PUBLIC_REPLY_STATUS,
      updated_at: now,
      updated_by_id: actor.id,
      unpublished_reason: null,
    } as const;
    let replyId: number;
    if (before) {
      replyId = before.id;
      await trx
        .updateTable('official_replies')
        .set({ ...values, published_at: before.publishedAt ?? now })
        .where('id', '=', replyId)
        .execute();
    } else {
      const row = await trx
        .insertInto('official_replies')
        .values({ ...values, opinion_id: opinionId, published_at: now, created_by_id: actor.id, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      replyId = row.id;
    }
    await trx
      .insertInto('official_reply_revisions')
      .values({ reply_id: replyId, body: values.body, show_opinion: values.show_opinion, redacted_opinion: values.redacted_opinion, created_by_id: actor.id, created_at: now })
      .execute();
    const after = (await loadReply(trx, opinionId))!;
    await recordAudit(trx, {
      actor,
      action: `reply.${kind}`,
      entityType: 'opinion',
      entityId: opinionId,
      before: snapshot(before),
      // The moderator's "checked: this is not personal data" ticks, each with what it covered.
      after: {
        ...snapshot(after),
        ...(kind === 'publish' ? { opinionStatusBefore: opinion.status } : {}),
        ...(notPersonalData.length ? { notPersonalData } : {}),
      },
    });

    let statusChanged = false;
    if (opinion.status !== 'answered' && opinion.status !== 'closed') {
      await setStatus(trx, actor, opinionId, opinion.status, 'answered', now);
      statusChanged = true;
    }

    const notify = Boolean(opinion.email) && (kind === 'publish' ? firstPublication || Boolean(checked.renotify) : Boolean(checked.renotify));
    if (notify) await enqueueReplyMail(trx, opinion, replyId, checked.body, !firstPublication);
    return { reply: after, kind, notified: notify, statusChanged } satisfies PublishResult;
  });
  invalidateReportPages();
  return result;
}

async function setStatus(trx: Executor, actor: StaffUser, opinionId: number, from: OpinionStatus, to: OpinionStatus, now: string) {
  await trx.updateTable('opinions').set({ status: to, updated_at: now }).where('id', '=', opinionId).execute();
  await recordAudit(trx, { actor, action: 'opinion.status', entityType: 'opinion', entityId: opinionId, before: { status: from }, after: { status: to } });
}

async function enqueueReplyMail(trx: Executor, opinion: OpinionRow, replyId: number, replyBody: string, updated: boolean) {
  const contacts = await getReportContacts(trx, opinion.report_id);
  const base = getEnv().PUBLIC_URL;
  const mail = replyNotification({
    trackingNumber: opinion.tracking_number,
    reportTitle: contacts?.title ?? '',
    sectionNumber: opinion.section_number,
    itemNumber: opinion.item_number,
    receivedAt: opinion.received_at,
    replyBody,
    replyUrl: `${base}${publicReplyPath(contacts?.slug ?? '', opinion.section_number, replyId)}`,
    trackUrl: `${base}/track?number=${encodeURIComponent(opinion.tracking_number)}`,
    contactPhone: contacts?.phone ?? '',
    contactMailbox: contacts?.mailbox ?? '',
    updated,
  });
  await enqueueMessage(trx, { opinionId: opinion.id, kind: 'citizen_reply', recipient: opinion.email!, ...mail });
}

/** Where a published reply is shown to the public. */
export function publicReplyPath(slug: string, sectionNumber: number, replyId: number): string {
  return `/reports/${encodeURIComponent(slug)}/sections/${sectionNumber}/replies#reply-${replyId}`;
}

/**
 * The status an opinion had before its reply was last published (from the
 * reply.publish audit row); 対応中 when that is unknown or was itself 回答済.
 */
async function statusBeforePublishing(trx: Executor, opinionId: number): Promise<OpinionStatus> {
  const row = await trx
    .selectFrom('audit_log')
    .select('after_json')
    .where('entity_type', '=', 'opinion')
    .where('entity_id', '=', String(opinionId))
    .where('action', '=', 'reply.publish')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  let earlier: unknown;
  try {
    earlier = row?.after_json ? (JSON.parse(row.after_json) as { opinionStatusBefore?: unknown }).opinionStatusBefore : undefined;
  } catch {
    earlier = undefined;
  }
  const known = OPINION_STATUSES.find((s) => s === earlier);
  return known && known !== 'answered' ? known : STATUS_AFTER_WITHDRAWAL;
}

export type UnpublishResult = ReplyState & { opinionStatus: OpinionStatus };

/**
 * Takes a published reply off the public pages; the reason is kept and
 * audited. An opinion that publishing made 回答済 goes back to the status it
 * had before (or 対応中), audited too; one a moderator has since closed stays.
 */
export async function unpublishReply(db: DB, actor: StaffUser, opinionId: number, reason: string): Promise<UnpublishResult> {
  const why = unpublishReasonSchema.safeParse(reason);
  if (!why.success) throw new UserError(why.error.issues[0].message);
  const result = await db.transaction().execute(async (trx) => {
    const opinion = await loadOpinion(trx, opinionId);
    const before = await loadReply(trx, opinionId);
    if (!before || !isReplyPublic(before.status)) throw new UserError('この意見には公開中の回答がありません。', 409);
    const now = new Date().toISOString();
    await trx
      .updateTable('official_replies')
      .set({ status: 'unpublished', unpublished_reason: why.data, updated_at: now, updated_by_id: actor.id })
      .where('id', '=', before.id)
      .execute();
    const after = (await loadReply(trx, opinionId))!;
    await recordAudit(trx, { actor, action: 'reply.unpublish', entityType: 'opinion', entityId: opinionId, before: snapshot(before), after: snapshot(after) });
    let opinionStatus = opinion.status;
    if (opinion.status === 'answered') {
      opinionStatus = await statusBeforePublishing(trx, opinionId);
      await setStatus(trx, actor, opinionId, opinion.status, opinionStatus, now);
    }
    return { ...after, opinionStatus };
  });
  invalidateReportPages();
  return result;
}

// --- What the public reads -------------------------------------------------------

function publishedReplies(db: DB, reportId: number) {
  return db
    .selectFrom('official_replies as r')
    .innerJoin('opinions as o', 'o.id', 'r.opinion_id')
    .where('o.report_id', '=', reportId)
    .where('r.status', '=', PUBLIC_REPLY_STATUS);
}

type PublicRow = {
  id: number;
  section_number: number;
  item_number: number | null;
  received_at: string;
  show_opinion: 0 | 1;
  public_ok: 0 | 1;
  redacted_opinion: string | null;
  body: string;
  published_at: string | null;
  updated_at: string;
  image_id: number | null;
};

/** The image published beside the reply (attachments.published_at), if any. */
const PUBLISHED_IMAGE = sql<number | null>`(select a.id from attachments a where a.opinion_id = o.id and a.published_at is not null and a.type != 'application/pdf' limit 1)`.as('image_id');

const PUBLIC_COLUMNS = [
  'r.id',
  'o.section_number',
  'o.item_number',
  'o.received_at',
  'r.show_opinion',
  'o.public_ok',
  'r.redacted_opinion',
  'r.body',
  'r.published_at',
  'r.updated_at',
  PUBLISHED_IMAGE,
] as const;

function toPublicReply(row: PublicRow): PublicReply {
  const publishedAt = row.published_at ?? row.updated_at;
  return {
    id: row.id,
    sectionNumber: row.section_number,
    itemNumber: row.item_number,
    receivedAt: row.received_at,
    // Both flags, so a consent withdrawn later (public_ok cleared) hides the text at once.
    opinion: row.show_opinion === 1 && row.public_ok === 1 ? row.redacted_opinion : null,
    body: row.body,
    publishedAt,
    updatedAt: row.updated_at > publishedAt ? row.updated_at : null,
    imageId: row.image_id,
  };
}

export type PublishedRepliesPage = { replies: PublicReply[]; total: number; page: number; perPage: number; pageCount: number };

/** Published replies of one section, newest first. */
export async function listPublishedReplies(
  db: DB,
  reportId: number,
  sectionNumber: number,
  { page = 1, perPage = REPLIES_PER_PAGE }: { page?: number; perPage?: number } = {},
): Promise<PublishedRepliesPage> {
  const base = publishedReplies(db, reportId).where('o.section_number', '=', sectionNumber);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .select(PUBLIC_COLUMNS)
    .orderBy('r.published_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(perPage)
    .offset((Math.max(1, page) - 1) * perPage)
    .execute();
  return {
    replies: rows.map(toPublicReply),
    total: Number(total),
    page,
    perPage,
    pageCount: Math.max(1, Math.ceil(Number(total) / perPage)),
  };
}

export type SectionCount = { received: number; answered: number };

/** Per section: opinions received and replies published. */
export async function countRepliesBySection(db: DB, reportId: number): Promise<Map<number, SectionCount>> {
  const [received, answered] = await Promise.all([
    db
      .selectFrom('opinions')
      .select(['section_number', (eb) => eb.fn.countAll<number>().as('n')])
      .where('report_id', '=', reportId)
      .groupBy('section_number')
      .execute(),
    publishedReplies(db, reportId)
      .select(['o.section_number', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('o.section_number')
      .execute(),
  ]);
  const counts = new Map<number, SectionCount>();
  for (const r of received) counts.set(r.section_number, { received: Number(r.n), answered: 0 });
  for (const r of answered) {
    const entry = counts.get(r.section_number) ?? { received: 0, answered: 0 };
    entry.answered = Number(r.n);
    counts.set(r.section_number, entry);
  }
  return counts;
}

/** For the report page: each section's newest replies and how many it has in all. */
export async function listLatestRepliesBySection(
  db: DB,
  reportId: number,
  perSection = 5,
): Promise<Map<number, { total: number; replies: PublicReply[] }>> {
  const ranked = publishedReplies(db, reportId).select([
    ...PUBLIC_COLUMNS,
    (eb) =>
      eb.fn
        .agg<number>('row_number')
        .over((ob) => ob.partitionBy('o.section_number').orderBy('r.published_at', 'desc').orderBy('r.id', 'desc'))
        .as('rn'),
    (eb) => eb.fn.countAll<number>().over((ob) => ob.partitionBy('o.section_number')).as('total'),
  ]);
  const rows = await db
    .selectFrom(ranked.as('x'))
    .selectAll()
    .where('x.rn', '<=', perSection)
    .orderBy('x.section_number')
    .orderBy('x.rn')
    .execute();
  const bySection = new Map<number, { total: number; replies: PublicReply[] }>();
  for (const row of rows) {
    let entry = bySection.get(row.section_number);
    if (!entry) bySection.set(row.section_number, (entry = { total: Number(row.total), replies: [] }));
    entry.replies.push(toPublicReply(row));
  }
  return bySection;
}
