// Writing official replies: a draft, publishing (and editing what is public),
// withdrawing. Every change writes its audit row (and any mail) in the same
// transaction; a change to what the public sees then drops the report page cache.
import type { OpinionStatus } from '../../db/schema';
import { OPINION_STATUSES } from '../../db/schema';
import { recordAudit } from '~/models/audit.server';
import { getReportContacts } from '~/models/reports.server';
import { unpublishReasonSchema } from '~/schemas/reply';
import type { DB } from '~/server/db.server';
import { invalidateReportPages } from '~/server/page-version.server';
import type { StaffUser } from '~/server/session.server';
import { getEnv } from '~/utils/env.server';
import { enqueueMessage } from '~/mail/outbox.server';
import { replyNotification } from '~/mail/reply-mail.server';
import { UserError } from '~/utils/user-error.server';
import { checkInput, confirmedFindings, publicationFindings } from '~/models/reply-rules.server';
import {
  loadOpinion,
  loadReply,
  snapshot,
  STATUS_AFTER_WITHDRAWAL,
  type OpinionRow,
  type ReplyInput,
  type ReplyState,
} from '~/models/replies.server';
import { isReplyPublic, PUBLIC_REPLY_STATUS, publicReplyPath } from '~/models/replies-public.server';

/** Saves the editor's text without publishing it (not for a reply that is public: edit that by publishing). */
export async function saveReplyDraft(
  db: DB,
  actor: StaffUser,
  opinionId: number,
  input: ReplyInput
): Promise<ReplyState> {
  return db.transaction().execute(async (trx) => {
    const opinion = await loadOpinion(trx, opinionId);
    const checked = checkInput(opinion, input, false);
    const before = await loadReply(trx, opinionId);
    if (before && isReplyPublic(before.status)) {
      throw new UserError(
        'models:replies.publishedNoDraft',
        409
      );
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
    await recordAudit(trx, {
      actor,
      action: 'reply.draft',
      entityType: 'opinion',
      entityId: opinionId,
      before: snapshot(before),
      after: snapshot(after),
    });
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
export async function publishReply(
  db: DB,
  actor: StaffUser,
  opinionId: number,
  input: ReplyInput
): Promise<PublishResult> {
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
      .values({
        reply_id: replyId,
        body: values.body,
        show_opinion: values.show_opinion,
        redacted_opinion: values.redacted_opinion,
        created_by_id: actor.id,
        created_at: now,
      })
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

    const notify =
      Boolean(opinion.email) &&
      (kind === 'publish' ? firstPublication || Boolean(checked.renotify) : Boolean(checked.renotify));
    if (notify) await enqueueReplyMail(trx, opinion, replyId, checked.body, !firstPublication);
    return { reply: after, kind, notified: notify, statusChanged } satisfies PublishResult;
  });
  invalidateReportPages();
  return result;
}

async function setStatus(
  trx: DB,
  actor: StaffUser,
  opinionId: number,
  from: OpinionStatus,
  to: OpinionStatus,
  now: string
) {
  await trx.updateTable('opinions').set({ status: to, updated_at: now }).where('id', '=', opinionId).execute();
  await recordAudit(trx, {
    actor,
    action: 'opinion.status',
    entityType: 'opinion',
    entityId: opinionId,
    before: { status: from },
    after: { status: to },
  });
}

async function enqueueReplyMail(trx: DB, opinion: OpinionRow, replyId: number, replyBody: string, updated: boolean) {
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
  }, opinion.language);
  await enqueueMessage(trx, { opinionId: opinion.id, kind: 'citizen_reply', recipient: opinion.email!, ...mail });
}

/**
 * The status an opinion had before its reply was last published (from the
 * reply.publish audit row); 対応中 when that is unknown or was itself 回答済.
 */
async function statusBeforePublishing(trx: DB, opinionId: number): Promise<OpinionStatus> {
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
    earlier = row?.after_json
      ? (JSON.parse(row.after_json) as { opinionStatusBefore?: unknown }).opinionStatusBefore
      : undefined;
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
export async function unpublishReply(
  db: DB,
  actor: StaffUser,
  opinionId: number,
  reason: string
): Promise<UnpublishResult> {
  const why = unpublishReasonSchema.safeParse(reason);
  if (!why.success) throw new UserError(why.error.issues[0].message);
  const result = await db.transaction().execute(async (trx) => {
    const opinion = await loadOpinion(trx, opinionId);
    const before = await loadReply(trx, opinionId);
    if (!before || !isReplyPublic(before.status)) throw new UserError('models:replies.notPublished', 409);
    const now = new Date().toISOString();
    await trx
      .updateTable('official_replies')
      .set({ status: 'unpublished', unpublished_reason: why.data, updated_at: now, updated_by_id: actor.id })
      .where('id', '=', before.id)
      .execute();
    const after = (await loadReply(trx, opinionId))!;
    await recordAudit(trx, {
      actor,
      action: 'reply.unpublish',
      entityType: 'opinion',
      entityId: opinionId,
      before: snapshot(before),
      after: snapshot(after),
    });
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
