// Attachments: the rows that make a stored file belong to an opinion. Rows
// are inserted in the opinion's own transaction (or, for a scan staff add
// later, with its audit row); files are stored before that commit and removed
// only after the commit that dropped their last row (see attachment-store).
import type { Transaction } from 'kysely';
import type { AttachmentType, Database } from '../../db/schema';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { removeStoredFiles, sweepOrphans, type SweepResult } from '~/server/attachment-store.server';
import type { StoredAttachment } from '~/server/attachment-content.server';
import { UserError } from '~/utils/user-error.server';
import { recordAudit } from './audit.server';
import { bumpContentVersion } from './content-version.server';

type Trx = Transaction<Database>;

export type AttachmentView = {
  id: number;
  name: string;
  type: AttachmentType;
  size: number;
  isImage: boolean;
  hasThumbnail: boolean;
  width: number | null;
  height: number | null;
  /** Staff who attached a scan; null for a file that came with the opinion. */
  addedBy: string | null;
  createdAt: string;
  publishedAt: string | null;
};

/** Inserts the rows of files already stored (call inside the opinion's transaction). */
export async function insertAttachments(trx: Trx, opinionId: number, files: readonly StoredAttachment[], addedById: number | null): Promise<number[]> {
  const now = new Date().toISOString();
  const ids: number[] = [];
  for (const file of files) {
    const row = await trx
      .insertInto('attachments')
      .values({
        opinion_id: opinionId,
        name: file.name,
        type: file.type,
        size: file.size,
        sha256: file.sha256,
        thumbnail_sha256: file.thumbnailSha256,
        width: file.width,
        height: file.height,
        added_by_id: addedById,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}

/** An opinion's attachments, oldest first. */
export async function listOpinionAttachments(db: DB | Trx, opinionId: number): Promise<AttachmentView[]> {
  const rows = await db
    .selectFrom('attachments as a')
    .leftJoin('users as u', 'u.id', 'a.added_by_id')
    .select(['a.id', 'a.name', 'a.type', 'a.size', 'a.thumbnail_sha256', 'a.width', 'a.height', 'a.created_at', 'a.published_at', 'u.display_name'])
    .where('a.opinion_id', '=', opinionId)
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    size: r.size,
    isImage: r.type !== 'application/pdf',
    hasThumbnail: r.thumbnail_sha256 !== null,
    width: r.width,
    height: r.height,
    addedBy: r.display_name ?? null,
    createdAt: r.created_at,
    publishedAt: r.published_at,
  }));
}

export type AttachmentFile = { id: number; opinionId: number; name: string; type: AttachmentType; sha256: string; thumbnailSha256: string | null };

/** What serving one attachment needs, or null. */
export async function getAttachmentFile(db: DB, id: number): Promise<AttachmentFile | null> {
  const row = await db
    .selectFrom('attachments')
    .select(['id', 'opinion_id', 'name', 'type', 'sha256', 'thumbnail_sha256'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { id: row.id, opinionId: row.opinion_id, name: row.name, type: row.type, sha256: row.sha256, thumbnailSha256: row.thumbnail_sha256 } : null;
}

/**
 * A published image, only while its opinion has a published reply: the
 * re-encoded copy is all the public ever sees, and only beside that reply.
 */
export async function getPublishedImage(db: DB, id: number): Promise<AttachmentFile | null> {
  const row = await db
    .selectFrom('attachments as a')
    .innerJoin('official_replies as r', (j) => j.onRef('r.opinion_id', '=', 'a.opinion_id').on('r.status', '=', 'published'))
    .select(['a.id', 'a.opinion_id', 'a.name', 'a.type', 'a.sha256', 'a.thumbnail_sha256'])
    .where('a.id', '=', id)
    .where('a.published_at', 'is not', null)
    .where('a.type', '!=', 'application/pdf')
    .executeTakeFirst();
  return row ? { id: row.id, opinionId: row.opinion_id, name: row.name, type: row.type, sha256: row.sha256, thumbnailSha256: row.thumbnail_sha256 } : null;
}

/** The published image of each of these opinions (by opinion id), for a public page of replies. */
export async function listPublishedImages(db: DB, opinionIds: readonly number[]): Promise<Map<number, { id: number; width: number | null; height: number | null }>> {
  const map = new Map<number, { id: number; width: number | null; height: number | null }>();
  if (opinionIds.length === 0) return map;
  const rows = await db
    .selectFrom('attachments')
    .select(['id', 'opinion_id', 'width', 'height'])
    .where('opinion_id', 'in', [...opinionIds])
    .where('published_at', 'is not', null)
    .execute();
  for (const r of rows) map.set(r.opinion_id, { id: r.id, width: r.width, height: r.height });
  return map;
}

/** Staff attach scans (a letter that came by post) to an opinion; audited with the file names. */
export async function attachOpinionFiles(db: DB, actor: StaffUser, opinionId: number, files: readonly StoredAttachment[]): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const opinion = await trx.selectFrom('opinions').select('id').where('id', '=', opinionId).executeTakeFirst();
    if (!opinion) throw new UserError('models:opinions.notFound', 404);
    const ids = await insertAttachments(trx, opinionId, files, actor.id);
    await recordAudit(trx, {
      actor,
      action: 'opinion.attach',
      entityType: 'opinion',
      entityId: opinionId,
      after: { attachments: files.map((f, i) => ({ id: ids[i], name: f.name, type: f.type, size: f.size })) },
    });
    return ids;
  });
}

/**
 * A moderator publishes one image of an opinion beside its reply (any image
 * published before is withdrawn), or withdraws it (`publish = false`).
 */
export async function setAttachmentPublished(db: DB, actor: StaffUser, opinionId: number, attachmentId: number, publish: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('attachments')
      .select(['id', 'type', 'name', 'published_at'])
      .where('id', '=', attachmentId)
      .where('opinion_id', '=', opinionId)
      .executeTakeFirst();
    if (!row) throw new UserError('models:attachments.notFound', 404);
    if (publish && row.type === 'application/pdf') throw new UserError('models:attachments.pdfNotPublishable');
    if ((row.published_at !== null) === publish) return;
    const now = new Date().toISOString();
    if (publish) {
      await trx.updateTable('attachments').set({ published_at: null, published_by_id: null }).where('opinion_id', '=', opinionId).execute();
      await trx.updateTable('attachments').set({ published_at: now, published_by_id: actor.id }).where('id', '=', attachmentId).execute();
    } else {
      await trx.updateTable('attachments').set({ published_at: null, published_by_id: null }).where('id', '=', attachmentId).execute();
    }
    await recordAudit(trx, {
      actor,
      action: publish ? 'opinion.attachment_publish' : 'opinion.attachment_unpublish',
      entityType: 'opinion',
      entityId: opinionId,
      before: { attachment: { id: row.id, name: row.name, published: row.published_at !== null } },
      after: { attachment: { id: row.id, name: row.name, published: publish } },
    });
  });
}

/**
 * Deletes the attachment rows of these opinions inside the caller's
 * transaction; returns the hashes they named, for removeUnreferencedFiles
 * after the commit. An image that was published beside a reply leaves the
 * public pages with the same commit: the content version is bumped in it, so
 * every process's cached pages (which would otherwise keep its `<img>` until
 * the next change of the notice or its replies) are rendered again within a
 * second.
 */
export async function deleteOpinionAttachments(trx: Trx, opinionIds: readonly number[]): Promise<string[]> {
  if (opinionIds.length === 0) return [];
  const rows = await trx
    .selectFrom('attachments')
    .select(['sha256', 'thumbnail_sha256', 'published_at'])
    .where('opinion_id', 'in', [...opinionIds])
    .execute();
  if (rows.length === 0) return [];
  await trx.deleteFrom('attachments').where('opinion_id', 'in', [...opinionIds]).execute();
  if (rows.some((r) => r.published_at !== null)) await bumpContentVersion(trx);
  return [...new Set(rows.flatMap((r) => (r.thumbnail_sha256 ? [r.sha256, r.thumbnail_sha256] : [r.sha256])))];
}

/** Of these hashes, those some row still names (the same file may belong to other opinions). */
export async function findReferencedHashes(db: DB, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('attachments')
    .select(['sha256', 'thumbnail_sha256'])
    .where((eb) => eb.or([eb('sha256', 'in', [...hashes]), eb('thumbnail_sha256', 'in', [...hashes])]))
    .execute();
  const wanted = new Set(hashes);
  return new Set(rows.flatMap((r) => [r.sha256, r.thumbnail_sha256]).filter((h): h is string => h !== null && wanted.has(h)));
}

/** After a commit that deleted rows: removes the files no row names any more. */
export async function removeUnreferencedFiles(db: DB, hashes: readonly string[]): Promise<number> {
  const keep = await findReferencedHashes(db, hashes);
  const gone = hashes.filter((h) => !keep.has(h));
  removeStoredFiles(gone);
  return gone.length;
}

/** Removes stored files no row names (see sweepOrphans); at boot with no grace. */
export function sweepAttachmentFiles(db: DB, graceMs: number): Promise<SweepResult> {
  return sweepOrphans((hashes) => findReferencedHashes(db, hashes), { graceMs });
}
