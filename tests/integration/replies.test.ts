// Publishing, editing and withdrawing official replies against a real SQLite
// database: revisions, audit rows, the opinion's status and the citizen's mail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpinionStatus } from '../../db/schema';
import { createOpinion } from '~/models/opinions.server';
import { countRepliesBySection, listLatestRepliesBySection, listPublishedReplies, PUBLIC_REPLY_STATUS } from '~/models/replies-public.server';
import { getReplyDraftForOpinion, previewReply } from '~/models/replies.server';
import { publishReply, saveReplyDraft, unpublishReply } from '~/models/replies-publish.server';
import { createReplyTemplate, listReplyTemplates, setReplyTemplateRetired, updateReplyTemplate } from '~/models/reply-templates.server';
import type { StaffUser } from '~/server/session.server';
import { japanese, UserError } from '~/utils/user-error.server';
import { getT } from '~/i18n/i18n.server';
import { REPLY_MESSAGE_VALUES } from '~/schemas/reply-fields';
import { formMessage } from '~/schemas/admin-messages';
import { BUNDLED_SLUG, createTestDb } from '../helpers/db';
import { waitFor } from '../helpers/http';

/** A model's refusal as the admin pages show it (template messages are catalog keys). */
const adminMessage = (message: string) => formMessage(getT('ja', 'admin'), message);

let t: Awaited<ReturnType<typeof createTestDb>>;
let reportId: number;
let moderator: StaffUser;

beforeAll(async () => {
  t = await createTestDb();
  reportId = (await t.db.selectFrom('reports').select('id').where('slug', '=', BUNDLED_SLUG).executeTakeFirstOrThrow()).id;
  const user = await t.db
    .insertInto('users')
    .values({ email: 'mod@example.jp', display_name: '回答 担当', role: 'moderator', password_hash: 'x', created_at: new Date().toISOString(), last_login_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  moderator = { id: user.id, email: 'mod@example.jp', displayName: '回答 担当', role: 'moderator' };
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
async function newOpinion(overrides: Partial<{ section: number; item: number | null; email: string | null; publicOk: boolean; body: string; name: string | null; phone: string | null }> = {}) {
  seq++;
  const created = await createOpinion(t.db, {
    reportId,
    sectionNumber: overrides.section ?? 3,
    itemNumber: overrides.item === undefined ? 1 : overrides.item,
    body: overrides.body ?? `第${seq}の意見です。歩道の段差を直してください。`,
    name: overrides.name === undefined ? '山田太郎' : overrides.name,
    email: overrides.email === undefined ? 'taro@example.jp' : overrides.email,
    phone: overrides.phone === undefined ? '090-1234-5678' : overrides.phone,
    replyWanted: false,
    publicOk: overrides.publicOk ?? true,
    consent: true,
    channel: 'web',
    receivedAt: new Date(Date.now() - 86_400_000),
    clientHash: null,
    userAgent: null,
    formToken: null,
    recordedById: null,
  });
  return created;
}

async function replyMails(opinionId: number) {
  return t.db.selectFrom('outbox_messages').selectAll().where('opinion_id', '=', opinionId).where('kind', '=', 'citizen_reply').execute();
}

async function auditFor(opinionId: number) {
  return t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'opinion').where('entity_id', '=', String(opinionId)).orderBy('id').execute();
}

async function statusOf(opinionId: number) {
  return (await t.db.selectFrom('opinions').select('status').where('id', '=', opinionId).executeTakeFirstOrThrow()).status;
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('publishing a reply', () => {
  it('publishes, stores a revision, answers the opinion, audits before → after and mails the citizen', async () => {
    const op = await newOpinion({ body: '山田太郎です。電話090-1234-5678、taro@example.jpへ。\n段差が危ないです。' });
    const editor = await getReplyDraftForOpinion(t.db, op.id);
    // The editor starts from the pre-redacted copy.
    expect(editor!.redactedOpinion).toBe('●●●です。電話●●●、●●●へ。\n段差が危ないです。');
    expect(editor!.reply).toBeNull();

    const result = await publishReply(t.db, moderator, op.id, {
      body: 'ご意見ありがとうございます。\n来月、段差を解消します。',
      showOpinion: true,
      redactedOpinion: editor!.redactedOpinion,
      renotify: false,
    });
    expect(result).toMatchObject({ kind: 'publish', notified: true, statusChanged: true });
    expect(result.reply).toMatchObject({ status: 'published', showOpinion: true, body: 'ご意見ありがとうございます。\n来月、段差を解消します。' });
    expect(result.reply.publishedAt).toBe(result.reply.updatedAt);

    expect(await statusOf(op.id)).toBe('answered');
    const revisions = await t.db.selectFrom('official_reply_revisions').selectAll().where('reply_id', '=', result.reply.id).execute();
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ body: result.reply.body, show_opinion: 1, created_by_id: moderator.id });

    const audit = await auditFor(op.id);
    const publish = audit.find((a) => a.action === 'reply.publish')!;
    expect(publish.actor_id).toBe(moderator.id);
    expect(JSON.parse(publish.before_json!)).toBeNull();
    expect(JSON.parse(publish.after_json!)).toMatchObject({ status: 'published', body: result.reply.body, showOpinion: true });
    const status = audit.find((a) => a.action === 'opinion.status')!;
    expect(JSON.parse(status.before_json!)).toEqual({ status: 'new' });
    expect(JSON.parse(status.after_json!)).toEqual({ status: 'answered' });

    const mails = await replyMails(op.id);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail.recipient).toBe('taro@example.jp');
    expect(mail.subject).toContain(op.trackingNumber);
    expect(mail.text_body).toContain('来月、段差を解消します。');
    expect(mail.text_body).toContain(`http://localhost:3000/reports/${BUNDLED_SLUG}/sections/3/replies#reply-${result.reply.id}`);
    expect(mail.text_body).toContain(`/track?number=${op.trackingNumber}`);
    expect(mail.text_body).toContain('0573-827222911');
    expect(mail.text_body).toContain('秀洲区行政センター527室');
    expect(mail.html_body).toContain(`#reply-${result.reply.id}`);
    expect(mail.html_body).toContain('来月、段差を解消します。');
  });

  it('escapes the reply in the HTML mail', async () => {
    const op = await newOpinion();
    await publishReply(t.db, moderator, op.id, { body: '<b>太字</b> & <script>x</script>', showOpinion: false, redactedOpinion: null });
    const [mail] = await replyMails(op.id);
    expect(mail.html_body).toContain('&lt;b&gt;太字&lt;/b&gt; &amp; &lt;script&gt;');
    expect(mail.html_body).not.toContain('<script>x');
  });

  it('sends nothing when the citizen gave no email', async () => {
    const op = await newOpinion({ email: null });
    const result = await publishReply(t.db, moderator, op.id, { body: '回答です。', showOpinion: false, redactedOpinion: null });
    expect(result.notified).toBe(false);
    expect(await t.db.selectFrom('outbox_messages').select('id').where('opinion_id', '=', op.id).where('kind', '=', 'citizen_reply').execute()).toHaveLength(0);
  });

  it('refuses to show the opinion when the citizen did not agree, in Japanese, and writes nothing', async () => {
    const op = await newOpinion({ publicOk: false });
    const error = await refusal(publishReply(t.db, moderator, op.id, { body: '回答', showOpinion: true, redactedOpinion: '写し' }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('公開に同意していない');
    expect(await t.db.selectFrom('official_replies').select('id').where('opinion_id', '=', op.id).execute()).toHaveLength(0);
    expect(await statusOf(op.id)).toBe('new');
    expect(await replyMails(op.id)).toHaveLength(0);
    // Without the opinion the reply can be published.
    const ok = await publishReply(t.db, moderator, op.id, { body: '回答', showOpinion: false, redactedOpinion: '写し' });
    expect(ok.kind).toBe('publish');
  });

  it("refuses a copy or a reply that still holds the submitter's name, email or phone", async () => {
    const op = await newOpinion();
    const leaks = await refusal(publishReply(t.db, moderator, op.id, { body: '回答', showOpinion: true, redactedOpinion: '山田太郎です。' }));
    expect(leaks.message).toContain('公開する意見に、個人情報の可能性がある箇所が1件あります。');
    const inReply = await refusal(publishReply(t.db, moderator, op.id, { body: '０９０１２３４５６７８ にお電話します', showOpinion: false, redactedOpinion: null }));
    expect(inReply.message).toContain('回答に、個人情報の可能性がある箇所が1件あります。');
    // The submitter's own phone cannot be ticked away.
    expect(inReply.message).toContain('投稿者のメールアドレス・電話番号・住所は公開できません。');
    const empty = await refusal(publishReply(t.db, moderator, op.id, { body: '  \n ', showOpinion: false, redactedOpinion: null }));
    // The model refuses with a key of the staff catalog; the page shows it translated.
    expect(getT('ja', 'staff')(empty.message)).toBe('回答を入力してください。');
  });

  it('leaves a closed opinion closed', async () => {
    const op = await newOpinion();
    await t.db.updateTable('opinions').set({ status: 'closed' }).where('id', '=', op.id).execute();
    const result = await publishReply(t.db, moderator, op.id, { body: '回答です。', showOpinion: false, redactedOpinion: null });
    expect(result.statusChanged).toBe(false);
    expect(await statusOf(op.id)).toBe('closed');
    expect((await auditFor(op.id)).map((a) => a.action)).not.toContain('opinion.status');
  });

  it.each<OpinionStatus>(['triaged', 'in_progress', 'out_of_scope'])('moves a %s opinion to answered', async (from) => {
    const op = await newOpinion();
    await t.db.updateTable('opinions').set({ status: from }).where('id', '=', op.id).execute();
    await publishReply(t.db, moderator, op.id, { body: '回答です。', showOpinion: false, redactedOpinion: null });
    expect(await statusOf(op.id)).toBe('answered');
  });

  it('answers 404 for an opinion that does not exist', async () => {
    const error = await refusal(publishReply(t.db, moderator, 999_999, { body: '回答', showOpinion: false, redactedOpinion: null }));
    expect(error.status).toBe(404);
  });
});

describe('editing and withdrawing', () => {
  it('keeps every edit as a revision, sends nothing unless 再通知, and shows 更新日', async () => {
    const op = await newOpinion({ section: 5, item: null });
    const first = await publishReply(t.db, moderator, op.id, { body: '最初の回答', showOpinion: true, redactedOpinion: '写し' });
    // Distinct timestamps: the clock has moved past the first publication.
    await waitFor(() => new Date().toISOString() > first.reply.updatedAt, { interval: 1 });
    const edit = await publishReply(t.db, moderator, op.id, { body: '直した回答', showOpinion: false, redactedOpinion: '写し', renotify: false });
    expect(edit).toMatchObject({ kind: 'edit', notified: false });
    expect(edit.reply.publishedAt).toBe(first.reply.publishedAt);
    expect(edit.reply.updatedAt > first.reply.updatedAt).toBe(true);
    expect(await replyMails(op.id)).toHaveLength(1);

    const audit = (await auditFor(op.id)).find((a) => a.action === 'reply.edit')!;
    expect(JSON.parse(audit.before_json!)).toMatchObject({ body: '最初の回答', showOpinion: true });
    expect(JSON.parse(audit.after_json!)).toMatchObject({ body: '直した回答', showOpinion: false });

    const renotified = await publishReply(t.db, moderator, op.id, { body: '三度目の回答', showOpinion: false, redactedOpinion: null, renotify: true });
    expect(renotified.notified).toBe(true);
    const mails = await replyMails(op.id);
    expect(mails).toHaveLength(2);
    expect(mails[1].subject).toContain('更新しました');
    expect(mails[1].text_body).toContain('三度目の回答');

    const revisions = await t.db.selectFrom('official_reply_revisions').select('body').where('reply_id', '=', first.reply.id).orderBy('id').execute();
    expect(revisions.map((r) => r.body)).toEqual(['最初の回答', '直した回答', '三度目の回答']);

    const { replies } = await listPublishedReplies(t.db, reportId, 5);
    const shown = replies.find((r) => r.id === first.reply.id)!;
    expect(shown.body).toBe('三度目の回答');
    expect(shown.opinion).toBeNull();
    expect(shown.publishedAt).toBe(first.reply.publishedAt);
    expect(shown.updatedAt).toBe(renotified.reply.updatedAt);
  });

  it('requires a reason to unpublish, audits it, and takes the reply off the public list', async () => {
    const op = await newOpinion({ section: 6 });
    const published = await publishReply(t.db, moderator, op.id, { body: '取り下げる回答', showOpinion: false, redactedOpinion: null });
    expect((await listPublishedReplies(t.db, reportId, 6)).replies.map((r) => r.id)).toContain(published.reply.id);

    const noReason = await refusal(unpublishReply(t.db, moderator, op.id, '   '));
    expect(getT('ja', 'staff')(noReason.message)).toBe('公開を取り下げる理由を入力してください。');

    const after = await unpublishReply(t.db, moderator, op.id, '担当部署の確認が必要なため');
    expect(after).toMatchObject({ status: 'unpublished', unpublishedReason: '担当部署の確認が必要なため' });
    expect((await listPublishedReplies(t.db, reportId, 6)).replies.map((r) => r.id)).not.toContain(published.reply.id);
    const audit = (await auditFor(op.id)).find((a) => a.action === 'reply.unpublish')!;
    expect(JSON.parse(audit.before_json!)).toMatchObject({ status: 'published' });
    expect(JSON.parse(audit.after_json!)).toMatchObject({ status: 'unpublished', unpublishedReason: '担当部署の確認が必要なため' });

    // Unpublishing twice is refused; publishing again sends no second first-publication mail.
    expect((await refusal(unpublishReply(t.db, moderator, op.id, '理由'))).status).toBe(409);
    const again = await publishReply(t.db, moderator, op.id, { body: '確認後の回答', showOpinion: false, redactedOpinion: null });
    expect(again).toMatchObject({ kind: 'publish', notified: false });
    expect(again.reply.publishedAt).toBe(published.reply.publishedAt);
    expect(await replyMails(op.id)).toHaveLength(1);
  });

  it('saves a draft that is not public, and refuses a draft over a published reply', async () => {
    const op = await newOpinion({ section: 7 });
    const draft = await saveReplyDraft(t.db, moderator, op.id, { body: '下書き', showOpinion: true, redactedOpinion: '編集した写し' });
    expect(draft.status).toBe('draft');
    expect((await getReplyDraftForOpinion(t.db, op.id))!.redactedOpinion).toBe('編集した写し');
    expect((await listPublishedReplies(t.db, reportId, 7)).total).toBe(0);
    expect(await statusOf(op.id)).toBe('new');
    await publishReply(t.db, moderator, op.id, { body: '公開', showOpinion: true, redactedOpinion: '編集した写し' });
    expect((await refusal(saveReplyDraft(t.db, moderator, op.id, { body: 'x', showOpinion: false, redactedOpinion: null }))).status).toBe(409);
  });
});

describe('what the public reads', () => {
  it('lists newest first, ten a page, without tracking number or person', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const op = await newOpinion({ section: 9, item: 2 });
      const r = await publishReply(t.db, moderator, op.id, { body: `回答${i}`, showOpinion: true, redactedOpinion: `写し${i}` });
      ids.push(r.reply.id);
      await waitFor(() => new Date().toISOString() > r.reply.updatedAt, { interval: 1 });
    }
    const page1 = await listPublishedReplies(t.db, reportId, 9, { page: 1, perPage: 10 });
    expect(page1.total).toBe(12);
    expect(page1.pageCount).toBe(2);
    expect(page1.replies.map((r) => r.id)).toEqual(ids.slice().reverse().slice(0, 10));
    const page2 = await listPublishedReplies(t.db, reportId, 9, { page: 2, perPage: 10 });
    expect(page2.replies.map((r) => r.id)).toEqual([ids[1], ids[0]]);
    expect(page1.replies[0]).toMatchObject({ sectionNumber: 9, itemNumber: 2, opinion: '写し11', body: '回答11', updatedAt: null });
    const json = JSON.stringify(page1);
    expect(json).not.toMatch(/XZ-|山田|taro@|090-1234/);
    expect(Object.keys(page1.replies[0]).sort()).toEqual(['body', 'id', 'imageId', 'itemNumber', 'opinion', 'publishedAt', 'receivedAt', 'sectionNumber', 'updatedAt']);

    const latest = await listLatestRepliesBySection(t.db, reportId);
    expect(latest.get(9)!.total).toBe(12);
    expect(latest.get(9)!.replies.map((r) => r.id)).toEqual(ids.slice().reverse().slice(0, 5));
    const counts = await countRepliesBySection(t.db, reportId);
    expect(counts.get(9)).toEqual({ received: 12, answered: 12 });
  });

  it('counts opinions received and replies published per section', async () => {
    await newOpinion({ section: 11 });
    const op = await newOpinion({ section: 11 });
    await publishReply(t.db, moderator, op.id, { body: '回答', showOpinion: false, redactedOpinion: null });
    const draftOnly = await newOpinion({ section: 11 });
    await saveReplyDraft(t.db, moderator, draftOnly.id, { body: '下書き', showOpinion: false, redactedOpinion: null });
    const counts = await countRepliesBySection(t.db, reportId);
    expect(counts.get(11)).toEqual({ received: 3, answered: 1 });
    expect(counts.get(12)).toBeUndefined();
  });

  it('hides the opinion text once the consent flag is cleared, even if it was shown', async () => {
    const op = await newOpinion({ section: 12 });
    await publishReply(t.db, moderator, op.id, { body: '回答', showOpinion: true, redactedOpinion: '写し' });
    expect((await listPublishedReplies(t.db, reportId, 12)).replies[0].opinion).toBe('写し');
    await t.db.updateTable('opinions').set({ public_ok: 0 }).where('id', '=', op.id).execute();
    expect((await listPublishedReplies(t.db, reportId, 12)).replies[0].opinion).toBeNull();
  });
});

describe('reply templates', () => {
  it('creates, edits, retires and restores with audit rows, and moderators see only the active ones', async () => {
    const admin: StaffUser = { ...moderator, role: 'admin' };
    const created = await createReplyTemplate(t.db, admin, { title: ' 道路の補修 ', body: 'ご意見ありがとうございます。\r\n担当部署で確認します。' });
    expect(created).toMatchObject({ title: '道路の補修', body: 'ご意見ありがとうございます。\n担当部署で確認します。' });
    await updateReplyTemplate(t.db, admin, created.id, { title: '道路の補修(改)', body: '本文' });
    await setReplyTemplateRetired(t.db, admin, created.id, true);
    expect((await listReplyTemplates(t.db)).map((x) => x.id)).not.toContain(created.id);
    expect((await listReplyTemplates(t.db, { includeRetired: true })).map((x) => x.id)).toContain(created.id);
    await setReplyTemplateRetired(t.db, admin, created.id, false);
    expect((await listReplyTemplates(t.db)).map((x) => x.id)).toContain(created.id);

    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'reply_template')
      .where('entity_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['template.create', 'template.update', 'template.retire', 'template.restore']);
    expect(JSON.parse(audit[1].before_json!)).toMatchObject({ title: '道路の補修' });
    expect(JSON.parse(audit[1].after_json!)).toMatchObject({ title: '道路の補修(改)', body: '本文' });

    expect(adminMessage((await refusal(createReplyTemplate(t.db, admin, { title: '', body: 'x' }))).message)).toBe('テンプレートの件名を入力してください。');
  });
});

describe('withdrawing puts the opinion back where it was (issue 18)', () => {
  async function statusAudits(opinionId: number) {
    return (await auditFor(opinionId))
      .filter((a) => a.action === 'opinion.status')
      .map((a) => [JSON.parse(a.before_json!).status, JSON.parse(a.after_json!).status]);
  }

  it.each<OpinionStatus>(['new', 'triaged', 'in_progress', 'out_of_scope'])('a %s opinion returns to that status when its reply is withdrawn, audited', async (from) => {
    const op = await newOpinion({ section: 8 });
    await t.db.updateTable('opinions').set({ status: from }).where('id', '=', op.id).execute();
    await publishReply(t.db, moderator, op.id, { body: '回答です。', showOpinion: false, redactedOpinion: null });
    expect(await statusOf(op.id)).toBe('answered');
    const after = await unpublishReply(t.db, moderator, op.id, '確認のため');
    expect(after.opinionStatus).toBe(from);
    expect(await statusOf(op.id)).toBe(from);
    expect(await statusAudits(op.id)).toEqual([
      [from, 'answered'],
      ['answered', from],
    ]);
    const last = (await auditFor(op.id)).at(-1)!;
    expect(last).toMatchObject({ action: 'opinion.status', actor_id: moderator.id });
  });

  it('an edit in between does not change what it goes back to', async () => {
    const op = await newOpinion({ section: 8 });
    await t.db.updateTable('opinions').set({ status: 'triaged' }).where('id', '=', op.id).execute();
    await publishReply(t.db, moderator, op.id, { body: '一度目', showOpinion: false, redactedOpinion: null });
    await publishReply(t.db, moderator, op.id, { body: '二度目', showOpinion: false, redactedOpinion: null });
    await unpublishReply(t.db, moderator, op.id, '確認のため');
    expect(await statusOf(op.id)).toBe('triaged');
  });

  it('goes to 対応中 when the opinion was already 回答済 before publishing', async () => {
    const op = await newOpinion({ section: 8 });
    await t.db.updateTable('opinions').set({ status: 'answered' }).where('id', '=', op.id).execute();
    const published = await publishReply(t.db, moderator, op.id, { body: '回答です。', showOpinion: false, redactedOpinion: null });
    expect(published.statusChanged).toBe(false);
    await unpublishReply(t.db, moderator, op.id, '確認のため');
    expect(await statusOf(op.id)).toBe('in_progress');
    expect(await statusAudits(op.id)).toEqual([['answered', 'in_progress']]);
  });

  it('leaves an opinion a moderator closed after publishing closed', async () => {
    const op = await newOpinion({ section: 8 });
    await publishReply(t.db, moderator, op.id, { body: '回答です。', showOpinion: false, redactedOpinion: null });
    await t.db.updateTable('opinions').set({ status: 'closed' }).where('id', '=', op.id).execute();
    const after = await unpublishReply(t.db, moderator, op.id, '確認のため');
    expect(after.opinionStatus).toBe('closed');
    expect(await statusOf(op.id)).toBe('closed');
  });

  it('publishing again answers it again, and a second withdrawal restores the same status', async () => {
    const op = await newOpinion({ section: 8 });
    await t.db.updateTable('opinions').set({ status: 'in_progress' }).where('id', '=', op.id).execute();
    await publishReply(t.db, moderator, op.id, { body: '回答', showOpinion: false, redactedOpinion: null });
    await unpublishReply(t.db, moderator, op.id, '一度目の取り下げ');
    await publishReply(t.db, moderator, op.id, { body: '回答(改)', showOpinion: false, redactedOpinion: null });
    expect(await statusOf(op.id)).toBe('answered');
    await unpublishReply(t.db, moderator, op.id, '二度目の取り下げ');
    expect(await statusOf(op.id)).toBe('in_progress');
  });

  it('marks the revision the public sees, and none once withdrawn', async () => {
    const op = await newOpinion({ section: 8 });
    await publishReply(t.db, moderator, op.id, { body: '最初の版', showOpinion: false, redactedOpinion: null });
    await publishReply(t.db, moderator, op.id, { body: '直した版', showOpinion: false, redactedOpinion: null });
    const editor = await getReplyDraftForOpinion(t.db, op.id);
    expect(editor!.reply!.status).toBe(PUBLIC_REPLY_STATUS);
    expect(editor!.revisions.map((v) => [v.body, v.isPublic])).toEqual([
      ['直した版', true],
      ['最初の版', false],
    ]);
    await unpublishReply(t.db, moderator, op.id, '確認のため');
    expect((await getReplyDraftForOpinion(t.db, op.id))!.revisions.map((v) => v.isPublic)).toEqual([false, false]);
  });
});

describe('text rules (issue 9): cleaned, counted in code points, one limit', () => {
  it('strips bidi and zero-width characters from the reply and the copy', async () => {
    const op = await newOpinion({ section: 10 });
    const result = await publishReply(t.db, moderator, op.id, { body: '回答\u202Eです\u200B。\r\n次の行', showOpinion: true, redactedOpinion: '\u2066写し\u2069' });
    expect(result.reply.body).toBe('回答です。\n次の行');
    expect(result.reply.redactedOpinion).toBe('写し');
  });

  it('accepts 10,000 emoji (20,000 UTF-16 units) and refuses 10,001 characters', async () => {
    const op = await newOpinion({ section: 10 });
    const ok = await publishReply(t.db, moderator, op.id, { body: '👍'.repeat(10_000), showOpinion: false, redactedOpinion: null });
    expect([...ok.reply.body]).toHaveLength(10_000);
    const tooLong = await refusal(publishReply(t.db, moderator, op.id, { body: 'あ'.repeat(10_001), showOpinion: false, redactedOpinion: null }));
    expect(getT('ja', 'staff')(tooLong.message, REPLY_MESSAGE_VALUES)).toBe('回答は10,000文字以内で入力してください。');
    const reason = await refusal(unpublishReply(t.db, moderator, op.id, 'あ'.repeat(501)));
    expect(getT('ja', 'staff')(reason.message, REPLY_MESSAGE_VALUES)).toBe('理由は500文字以内で入力してください。');
  });

  it('previews with warnings instead of refusals, and writes nothing', async () => {
    const op = await newOpinion({ section: 10, publicOk: false });
    const preview = await previewReply(t.db, op.id, { body: '山田太郎様、回答します。', showOpinion: true, redactedOpinion: '写し' });
    expect(preview.entry).toMatchObject({ id: 0, sectionNumber: 10, opinion: null, body: '山田太郎様、回答します。', updatedAt: null });
    // Warnings are catalog keys (the page words them); in Japanese they read as before.
    expect(preview.warnings.map((w) => japanese(w))).toEqual([
      '投稿者が公開に同意していないため、意見は表示されません。',
      '個人情報の可能性がある箇所のうち、確認が済んでいないものが1件あります(「公開前の確認」の一覧)。このままでは公開できません。',
    ]);
    expect(preview.findings.map((f) => [f.field, f.kind, f.text])).toEqual([['body', 'submitter_name', '山田太郎']]);
    expect(await t.db.selectFrom('official_replies').select('id').where('opinion_id', '=', op.id).execute()).toHaveLength(0);
  });
});

describe('reply template titles are unique among those in use (issue 18)', () => {
  const admin = () => ({ ...moderator, role: 'admin' as const });
  async function templateCount() {
    return (await t.db.selectFrom('reply_templates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  }

  it('refuses a second template with the same title, as typed differently, and writes nothing', async () => {
    await createReplyTemplate(t.db, admin(), { title: '現地確認の報告', body: '本文A' });
    const before = await templateCount();
    const auditBefore = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'template.create').execute();
    const error = await refusal(createReplyTemplate(t.db, admin(), { title: ' 現地確認の\u200B報告 ', body: '本文B' }));
    expect(error.status).toBe(400);
    expect(error.message).toBe('件名「現地確認の報告」のテンプレートはすでにあります。一覧で区別できるよう、別の件名にしてください。');
    expect(await templateCount()).toBe(before);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'template.create').execute()).toHaveLength(auditBefore.length);
  });

  it('two saves racing store one template', async () => {
    const before = await templateCount();
    const results = await Promise.allSettled([
      createReplyTemplate(t.db, admin(), { title: '同時に保存', body: '本文' }),
      createReplyTemplate(t.db, admin(), { title: '同時に保存', body: '本文' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await templateCount()).toBe(before + 1);
  });

  it('refuses renaming onto a title in use, allows it beside a retired one, and refuses restoring the retired one', async () => {
    const a = await createReplyTemplate(t.db, admin(), { title: '道路清掃', body: '本文' });
    const b = await createReplyTemplate(t.db, admin(), { title: '道路清掃(夜間)', body: '本文' });
    expect((await refusal(updateReplyTemplate(t.db, admin(), b.id, { title: '道路清掃', body: '本文' }))).status).toBe(400);
    // Saving a template under its own title is not a duplicate.
    await updateReplyTemplate(t.db, admin(), a.id, { title: '道路清掃', body: '本文(改)' });
    await setReplyTemplateRetired(t.db, admin(), a.id, true);
    await updateReplyTemplate(t.db, admin(), b.id, { title: '道路清掃', body: '本文' });
    const restore = await refusal(setReplyTemplateRetired(t.db, admin(), a.id, false));
    expect(restore.message).toContain('件名「道路清掃」のテンプレートはすでにあります');
    expect((await listReplyTemplates(t.db)).filter((x) => x.title === '道路清掃')).toHaveLength(1);
  });

  it('counts the title in code points and returns camelCase views', async () => {
    const created = await createReplyTemplate(t.db, admin(), { title: '🙏'.repeat(100), body: '本文' });
    expect(Object.keys(created).sort()).toEqual(['body', 'createdAt', 'id', 'retiredAt', 'title', 'updatedAt']);
    const tooLong = await refusal(createReplyTemplate(t.db, admin(), { title: 'あ'.repeat(101), body: '本文' }));
    expect(adminMessage(tooLong.message)).toBe('件名は100文字以内で入力してください。');
  });
});
