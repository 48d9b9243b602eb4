// Reply templates: admins write and retire them, moderators insert and adapt
// them. Nothing is deleted, so the audit log can always point at a template.
// Titles are unique among the templates in use, so the moderator's list can
// tell them apart; the check runs inside the write's transaction (BEGIN
// IMMEDIATE), so two saves racing cannot both add the same title.
import type { ReplyTemplate } from '../../db/schema';
import { recordAudit } from '~/models/audit.server';
import { templateContentSchema, type TemplateContent } from '~/schemas/reply-template';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';


export type ReplyTemplateInput = { title: string; body: string };

export type ReplyTemplateView = {
  id: number;
  title: string;
  body: string;
  retiredAt: string | null;
  createdAt: string;
  updatedAt: string;
};

function toView(row: ReplyTemplate): ReplyTemplateView {
  return { id: row.id, title: row.title, body: row.body, retiredAt: row.retired_at, createdAt: row.created_at, updatedAt: row.updated_at };
}

function checkContent(input: ReplyTemplateInput): TemplateContent {
  const parsed = templateContentSchema.safeParse(input);
  if (!parsed.success) throw new UserError(parsed.error.issues[0].message);
  return parsed.data;
}

/** Refuses a title that a template in use (other than `exceptId`) already has. */
async function assertTitleFree(trx: DB, title: string, exceptId: number | null): Promise<void> {
  let query = trx.selectFrom('reply_templates').select('id').where('title', '=', title).where('retired_at', 'is', null);
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw new UserError('models:templates.titleTaken', 400, { title });
}

function snapshot(t: ReplyTemplate) {
  return { title: t.title, body: t.body, retiredAt: t.retired_at };
}

/** Templates by title; retired ones only when asked (the admin's list), after the others on both engines. */
export async function listReplyTemplates(db: DB, options: { includeRetired?: boolean } = {}): Promise<ReplyTemplateView[]> {
  let query = db.selectFrom('reply_templates').selectAll();
  if (!options.includeRetired) query = query.where('retired_at', 'is', null);
  return (await query.orderBy('retired_at', (ob) => ob.asc().nullsFirst()).orderBy('title').orderBy('id').execute()).map(toView);
}

/** One template that is in use (not retired), or null. */
export async function getActiveReplyTemplate(db: DB, id: number): Promise<ReplyTemplateView | null> {
  const row = await db.selectFrom('reply_templates').selectAll().where('id', '=', id).where('retired_at', 'is', null).executeTakeFirst();
  return row ? toView(row) : null;
}

/** The reply text with a template's body added after what is already written. */
export function appendTemplate(body: string, template: Pick<ReplyTemplateView, 'body'>): string {
  return body.trim() ? `${body.trimEnd()}\n\n${template.body}` : template.body;
}

async function loadTemplate(db: DB, id: number): Promise<ReplyTemplate> {
  const row = await db.selectFrom('reply_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new UserError('models:templates.notFound', 404);
  return row;
}

export async function createReplyTemplate(db: DB, actor: StaffUser, input: ReplyTemplateInput): Promise<ReplyTemplateView> {
  const { title, body } = checkContent(input);
  return db.transaction().execute(async (trx) => {
    await assertTitleFree(trx, title, null);
    const now = new Date().toISOString();
    const row = await trx
      .insertInto('reply_templates')
      .values({ title, body, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'template.create', entityType: 'reply_template', entityId: row.id, after: snapshot(row) });
    return toView(row);
  });
}

export async function updateReplyTemplate(db: DB, actor: StaffUser, id: number, input: ReplyTemplateInput): Promise<ReplyTemplateView> {
  const { title, body } = checkContent(input);
  return db.transaction().execute(async (trx) => {
    const before = await loadTemplate(trx, id);
    // A retired template may share a title; it must not once it is restored.
    if (before.retired_at === null) await assertTitleFree(trx, title, id);
    const after = await trx
      .updateTable('reply_templates')
      .set({ title, body, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'template.update', entityType: 'reply_template', entityId: id, before: snapshot(before), after: snapshot(after) });
    return toView(after);
  });
}

/** Retires (retired = true) or brings back a template; it stays in the table either way. */
export async function setReplyTemplateRetired(db: DB, actor: StaffUser, id: number, retired: boolean): Promise<ReplyTemplateView> {
  return db.transaction().execute(async (trx) => {
    const before = await loadTemplate(trx, id);
    if ((before.retired_at !== null) === retired) return toView(before);
    if (!retired) await assertTitleFree(trx, before.title, id);
    const now = new Date().toISOString();
    const after = await trx
      .updateTable('reply_templates')
      .set({ retired_at: retired ? now : null, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: retired ? 'template.retire' : 'template.restore',
      entityType: 'reply_template',
      entityId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
    return toView(after);
  });
}
