// Reply templates: admins write and retire them, moderators insert and adapt
// them. Nothing is deleted, so the audit log can always point at a template.
import type { ReplyTemplate } from '../../db/schema';
import { recordAudit } from '~/models/audit.server';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';

export const TEMPLATE_TITLE_MAX_CHARS = 100;
export const TEMPLATE_BODY_MAX_CHARS = 5_000;

export type ReplyTemplateInput = { title: string; body: string };

function clean(text: string): string {
  return (text ?? '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '')
    .trim();
}

function check(input: ReplyTemplateInput): ReplyTemplateInput {
  const title = clean(input.title).replace(/\s+/g, ' ');
  const body = clean(input.body);
  if (!title) throw new UserError('テンプレートの件名を入力してください。');
  if (title.length > TEMPLATE_TITLE_MAX_CHARS) throw new UserError(`件名は${TEMPLATE_TITLE_MAX_CHARS}文字以内で入力してください。`);
  if (!body) throw new UserError('テンプレートの本文を入力してください。');
  if (body.length > TEMPLATE_BODY_MAX_CHARS) {
    throw new UserError(`本文は${TEMPLATE_BODY_MAX_CHARS.toLocaleString('ja-JP')}文字以内で入力してください。`);
  }
  return { title, body };
}

function snapshot(t: ReplyTemplate) {
  return { title: t.title, body: t.body, retiredAt: t.retired_at };
}

/** Templates by title; retired ones only when asked (the admin's list). */
export async function listReplyTemplates(db: DB, options: { includeRetired?: boolean } = {}): Promise<ReplyTemplate[]> {
  let query = db.selectFrom('reply_templates').selectAll();
  if (!options.includeRetired) query = query.where('retired_at', 'is', null);
  return query.orderBy('retired_at').orderBy('title').orderBy('id').execute();
}

/** One template that is in use (not retired), or null. */
export async function getActiveReplyTemplate(db: DB, id: number): Promise<ReplyTemplate | null> {
  const row = await db.selectFrom('reply_templates').selectAll().where('id', '=', id).where('retired_at', 'is', null).executeTakeFirst();
  return row ?? null;
}

async function loadTemplate(db: DB, id: number): Promise<ReplyTemplate> {
  const row = await db.selectFrom('reply_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new UserError('指定されたテンプレートが見つかりません。', 404);
  return row;
}

export async function createReplyTemplate(db: DB, actor: StaffUser, input: ReplyTemplateInput): Promise<ReplyTemplate> {
  const { title, body } = check(input);
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const row = await trx
      .insertInto('reply_templates')
      .values({ title, body, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'template.create', entityType: 'reply_template', entityId: row.id, after: snapshot(row) });
    return row;
  });
}

export async function updateReplyTemplate(db: DB, actor: StaffUser, id: number, input: ReplyTemplateInput): Promise<ReplyTemplate> {
  const { title, body } = check(input);
  return db.transaction().execute(async (trx) => {
    const before = await loadTemplate(trx, id);
    const after = await trx
      .updateTable('reply_templates')
      .set({ title, body, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'template.update', entityType: 'reply_template', entityId: id, before: snapshot(before), after: snapshot(after) });
    return after;
  });
}

/** Retires (retired = true) or brings back a template; it stays in the table either way. */
export async function setReplyTemplateRetired(db: DB, actor: StaffUser, id: number, retired: boolean): Promise<ReplyTemplate> {
  return db.transaction().execute(async (trx) => {
    const before = await loadTemplate(trx, id);
    if (Boolean(before.retired_at) === retired) return before;
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
    return after;
  });
}
