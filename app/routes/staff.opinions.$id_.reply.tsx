// /staff/opinions/:id/reply — a moderator writes the official reply, chooses
// whether to show the (redacted) opinion beside it, previews it exactly as the
// public will see it, and publishes, edits or withdraws it. Works without
// JavaScript: the template picker and the preview are ordinary form posts that
// keep what was typed. The underscore after $id keeps this page out of the
// opinion page's layout.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { z } from 'zod';
import { SectionReplies, type SectionReplyEntry } from '~/components/section-replies';
import { getActiveReplyTemplate, listReplyTemplates } from '~/models/reply-templates.server';
import {
  cleanText,
  getReplyDraftForOpinion,
  publicReplyPath,
  publishReply,
  REDACTED_MAX_CHARS,
  REPLY_MAX_CHARS,
  saveReplyDraft,
  unpublishReply,
  UNPUBLISH_REASON_MAX_CHARS,
} from '~/models/replies.server';
import { getDb } from '~/server/db.server';
import { readFormBody } from '~/utils/form.server';
import { invalidateReportPages } from '~/server/page-cache.server';
import { itemLabel, sectionLabel } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import { STATUS_LABELS } from '~/domain/labels';
import { containsSubmitterDetails } from '~/domain/redact';
import { requireUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';


export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `回答の作成(${data.editor.opinion.trackingNumber}) | 意見箱` : '回答の作成 | 意見箱' },
  { name: 'robots', content: 'noindex' },
];

const IdParam = z.string().regex(/^[1-9]\d{0,9}$/).transform(Number);

function opinionIdFrom(params: LoaderFunctionArgs['params']): number {
  const parsed = IdParam.safeParse(params.id);
  if (!parsed.success) throw new Response('指定された意見が見つかりません', { status: 404 });
  return parsed.data;
}

const DONE_MESSAGES = {
  publish: '回答を公開しました。',
  edit: '公開中の回答を更新しました。',
  unpublish: '回答の公開を取り下げました。',
  draft: '下書きを保存しました(まだ公開されていません)。',
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'replies');
  const opinionId = opinionIdFrom(params);
  const db = getDb();
  const editor = await getReplyDraftForOpinion(db, opinionId);
  if (!editor) throw new Response('指定された意見が見つかりません', { status: 404 });
  const url = new URL(request.url);
  const templates = await listReplyTemplates(db);

  // ?template=<id>: the same insertion as the button, for a plain link or bookmark.
  let body = editor.reply?.body ?? '';
  const templateId = Number(url.searchParams.get('template'));
  if (Number.isInteger(templateId) && templateId > 0) {
    const template = await getActiveReplyTemplate(db, templateId);
    if (template) body = body ? `${body}\n\n${template.body}` : template.body;
  }
  const done = url.searchParams.get('done');
  const doneMessage = done && done in DONE_MESSAGES ? DONE_MESSAGES[done as keyof typeof DONE_MESSAGES] : null;
  const mailed = url.searchParams.get('mail') === '1';
  return {
    editor,
    body,
    templates: templates.map((t) => ({ id: t.id, title: t.title })),
    publicHref:
      editor.reply?.status === 'published' ? publicReplyPath(editor.opinion.reportSlug, editor.opinion.sectionNumber, editor.reply.id) : null,
    doneMessage: doneMessage ? `${doneMessage}${mailed ? '投稿者へのお知らせメールを送信待ちに入れました。' : ''}` : null,
  };
}

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const ReplyForm = z.object({
  intent: z.enum(['preview', 'template', 'draft', 'publish', 'unpublish']),
  body: z.string().max(REPLY_MAX_CHARS * 2, `回答は${REPLY_MAX_CHARS.toLocaleString('ja-JP')}文字以内で入力してください。`).default(''),
  redactedOpinion: z.string().max(REDACTED_MAX_CHARS * 2, `公開する意見は${REDACTED_MAX_CHARS.toLocaleString('ja-JP')}文字以内にしてください。`).default(''),
  showOpinion: checkbox,
  renotify: checkbox,
  templateId: z.string().optional(),
  reason: z.string().max(UNPUBLISH_REASON_MAX_CHARS * 2, `理由は${UNPUBLISH_REASON_MAX_CHARS}文字以内で入力してください。`).default(''),
});

type FormValues = { body: string; redactedOpinion: string; showOpinion: boolean; renotify: boolean; reason: string };

type ActionResult = {
  ok: boolean;
  /** Changes on every answer, so the form re-mounts with these values. */
  key: string;
  message: string | null;
  values: FormValues;
  preview?: { entry: SectionReplyEntry; warnings: string[] };
  /** Which form the message belongs to. */
  form: 'reply' | 'unpublish';
};

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'replies');
  const opinionId = opinionIdFrom(params);
  const db = getDb();
  const form = Object.fromEntries(
    [...(await readFormBody(request)).entries()].filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const key = `${Date.now()}`;
  const parsed = ReplyForm.safeParse(form);
  const fallback: FormValues = {
    body: String(form.body ?? ''),
    redactedOpinion: String(form.redactedOpinion ?? ''),
    showOpinion: form.showOpinion === 'on',
    renotify: form.renotify === 'on',
    reason: String(form.reason ?? ''),
  };
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.path[0] === 'intent' ? '操作の種類が正しくありません。' : parsed.error.issues[0].message;
    return data<ActionResult>({ ok: false, key, message, values: fallback, form: 'reply' }, { status: 400 });
  }
  const { intent, templateId, ...values } = parsed.data;
  const input = { body: values.body, showOpinion: values.showOpinion, redactedOpinion: values.redactedOpinion, renotify: values.renotify };
  const base = `/staff/opinions/${opinionId}/reply`;

  try {
    if (intent === 'template') {
      const id = Number(templateId);
      const template = Number.isInteger(id) && id > 0 ? await getActiveReplyTemplate(db, id) : null;
      if (!template) {
        return data<ActionResult>({ ok: false, key, message: '挿入するテンプレートを選んでください。', values, form: 'reply' }, { status: 400 });
      }
      const body = values.body.trim() ? `${values.body.trimEnd()}\n\n${template.body}` : template.body;
      return { ok: true, key, message: `テンプレート「${template.title}」を回答欄に挿入しました。内容を確認し、必要に応じて修正してください。`, values: { ...values, body }, form: 'reply' } satisfies ActionResult;
    }
    if (intent === 'preview') {
      const editor = await getReplyDraftForOpinion(db, opinionId);
      if (!editor) throw new UserError('指定された意見が見つかりません。', 404);
      const now = new Date().toISOString();
      const published = editor.reply?.status === 'published';
      const showOpinion = values.showOpinion && editor.opinion.publicOk;
      const warnings: string[] = [];
      if (values.showOpinion && !editor.opinion.publicOk) warnings.push('投稿者が公開に同意していないため、意見は表示されません。');
      if (showOpinion && containsSubmitterDetails(values.redactedOpinion, editor.opinion)) {
        warnings.push('公開する意見に投稿者の氏名・メールアドレス・電話番号が残っています。このままでは公開できません。');
      }
      if (containsSubmitterDetails(values.body, editor.opinion)) warnings.push('回答に投稿者の氏名・メールアドレス・電話番号が含まれています。このままでは公開できません。');
      if (!cleanText(values.body)) warnings.push('回答が空です。');
      const entry: SectionReplyEntry = {
        id: editor.reply?.id ?? 0,
        sectionNumber: editor.opinion.sectionNumber,
        itemNumber: editor.opinion.itemNumber,
        receivedAt: editor.opinion.receivedAt,
        opinion: showOpinion ? cleanText(values.redactedOpinion) : null,
        body: cleanText(values.body),
        publishedAt: editor.reply?.publishedAt ?? now,
        updatedAt: published ? now : null,
      };
      return { ok: true, key, message: null, values, preview: { entry, warnings }, form: 'reply' } satisfies ActionResult;
    }
    if (intent === 'draft') {
      await saveReplyDraft(db, actor, opinionId, input);
      return redirect(`${base}?done=draft`);
    }
    if (intent === 'publish') {
      const result = await publishReply(db, actor, opinionId, input);
      invalidateReportPages();
      return redirect(`${base}?done=${result.kind}${result.notified ? '&mail=1' : ''}`);
    }
    await unpublishReply(db, actor, opinionId, values.reason);
    invalidateReportPages();
    return redirect(`${base}?done=unpublish`);
  } catch (error) {
    if (error instanceof UserError) {
      if (error.status === 404) throw new Response(error.message, { status: 404 });
      return data<ActionResult>(
        { ok: false, key, message: error.message, values, form: intent === 'unpublish' ? 'unpublish' : 'reply' },
        { status: error.status },
      );
    }
    throw error;
  }
}

const REPLY_STATUS_LABELS = { draft: '下書き(非公開)', published: '公開中', unpublished: '公開取り下げ済み' } as const;

export default function StaffOpinionReply() {
  const { editor, body, templates, publicHref, doneMessage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const { opinion, reply } = editor;
  const published = reply?.status === 'published';
  const messageRef = useRef<HTMLDivElement>(null);
  const previewRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (result?.preview) previewRef.current?.focus();
    else if (result?.message || doneMessage) messageRef.current?.focus();
  }, [result, doneMessage]);

  const values: FormValues = result?.values ?? {
    body,
    redactedOpinion: editor.redactedOpinion,
    showOpinion: reply ? reply.showOpinion : false,
    renotify: false,
    reason: '',
  };
  const replyError = result && !result.ok && result.form === 'reply' ? result.message : null;
  const unpublishError = result && !result.ok && result.form === 'unpublish' ? result.message : null;
  const target = `${sectionLabel(opinion.sectionNumber)}${opinion.sectionNumber === 0 ? '' : ` ${opinion.sectionTitle}`}${
    opinion.itemNumber === null ? '' : ` ／ ${itemLabel(opinion.itemNumber)}${opinion.itemHeading ?? ''}`
  }`;

  return (
    <div className="reply-editor">
      <p>
        <Link to={`/staff/opinions/${opinion.id}`}>← 意見の詳細(受付番号 {opinion.trackingNumber})へ戻る</Link>
      </p>
      <h1>回答の作成</h1>

      {doneMessage && !result ? (
        <div ref={messageRef} tabIndex={-1} className="notice" role="status">
          {doneMessage}
          {publicHref ? (
            <>
              {' '}
              <a href={publicHref}>公開ページで確認する</a>
            </>
          ) : null}
        </div>
      ) : null}
      {result?.message ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </div>
      ) : null}

      <section aria-labelledby="original-title" className="reply-editor__original">
        <h2 id="original-title">元の意見(職員のみ閲覧できます)</h2>
        <dl className="reply-editor__facts">
          <dt>受付番号</dt>
          <dd>{opinion.trackingNumber}</dd>
          <dt>対象</dt>
          <dd>{target}</dd>
          <dt>受付日時</dt>
          <dd>
            <time dateTime={opinion.receivedAt}>{formatDateTime(opinion.receivedAt)}</time>
          </dd>
          <dt>状態</dt>
          <dd>{STATUS_LABELS[opinion.status]}</dd>
          <dt>意見の公開</dt>
          <dd>{opinion.publicOk ? '回答とあわせて公開してよい(同意あり)' : '公開しない(同意なし)'}</dd>
          <dt>お名前・連絡先(公開しません)</dt>
          <dd>{[opinion.name, opinion.email, opinion.phone].filter(Boolean).join(' ／ ') || '(記入なし)'}</dd>
        </dl>
        <p className="user-text reply-editor__body">{opinion.body}</p>
      </section>

      <section aria-labelledby="reply-state-title">
        <h2 id="reply-state-title">回答の状態</h2>
        {reply ? (
          <p>
            {REPLY_STATUS_LABELS[reply.status]}
            {reply.publishedAt ? (
              <>
                ／ 公開日 <time dateTime={reply.publishedAt}>{formatDateTime(reply.publishedAt)}</time>
              </>
            ) : null}{' '}
            ／ 最終更新 <time dateTime={reply.updatedAt}>{formatDateTime(reply.updatedAt)}</time>
            {reply.status === 'unpublished' && reply.unpublishedReason ? <> ／ 取り下げの理由:{reply.unpublishedReason}</> : null}
            {publicHref ? (
              <>
                {' '}
                ／ <a href={publicHref}>公開ページ</a>
              </>
            ) : null}
          </p>
        ) : (
          <p>まだ回答はありません。</p>
        )}
      </section>

      <Form method="post" key={result?.key ?? reply?.updatedAt ?? 'new'} aria-labelledby="reply-form-title" className="reply-editor__form">
        <h2 id="reply-form-title">{published ? '公開中の回答を編集' : '回答を書く'}</h2>
        {replyError ? (
          <p className="field-error" id="reply-form-error">
            {replyError}
          </p>
        ) : null}

        <fieldset className="field">
          <legend>公開する意見</legend>
          <div className="field--check">
            <input
              type="checkbox"
              id="showOpinion"
              name="showOpinion"
              defaultChecked={opinion.publicOk && values.showOpinion}
              disabled={!opinion.publicOk}
              aria-describedby="showOpinion-hint"
            />{' '}
            <label htmlFor="showOpinion">回答とあわせて、意見(個人情報を伏せた写し)を公開する</label>
          </div>
          <p className="hint" id="showOpinion-hint">
            {opinion.publicOk
              ? '投稿者は意見の公開に同意しています。公開するのは下の写しで、元の意見は変わりません。'
              : '投稿者が意見の公開に同意していないため、意見は公開できません。回答だけが公開されます。'}
          </p>
          <label htmlFor="redactedOpinion">公開用の写し(電話番号・メールアドレス・身分証番号・投稿者の氏名などは●●●に置き換え済み)</label>
          <p className="hint" id="redactedOpinion-hint">
            自動で伏せた結果です。住所や勤務先など、個人が分かる記述が残っていないか確認し、必要に応じて書き換えてください。
          </p>
          <textarea
            id="redactedOpinion"
            name="redactedOpinion"
            rows={8}
            defaultValue={values.redactedOpinion}
            aria-describedby="redactedOpinion-hint"
          />
        </fieldset>

        <div className="field">
          <label htmlFor="templateId">回答テンプレート</label>
          {templates.length ? (
            <div className="reply-editor__template">
              <select id="templateId" name="templateId" defaultValue="">
                <option value="">テンプレートを選ぶ</option>
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.title}
                  </option>
                ))}
              </select>{' '}
              <button type="submit" name="intent" value="template" className="button--secondary" formNoValidate>
                回答欄に挿入
              </button>
            </div>
          ) : (
            <p className="hint">テンプレートはまだありません(管理者が「回答テンプレート」で作成できます)。</p>
          )}
        </div>

        <div className="field">
          <label htmlFor="body">
            区からの回答<span className="required">必須</span>
          </label>
          <p className="hint" id="body-hint">
            文章のみで、改行はそのまま表示されます。回答は公開されるため、投稿者の氏名や連絡先は書かないでください。
          </p>
          <textarea
            id="body"
            name="body"
            rows={10}
            defaultValue={values.body}
            maxLength={REPLY_MAX_CHARS}
            aria-describedby={replyError ? 'body-hint reply-form-error' : 'body-hint'}
            aria-invalid={replyError ? true : undefined}
          />
        </div>

        {published ? (
          <div className="field field--check">
            <input type="checkbox" id="renotify" name="renotify" defaultChecked={values.renotify} disabled={!opinion.email} aria-describedby="renotify-hint" />{' '}
            <label htmlFor="renotify">再通知(更新した回答を投稿者にメールで知らせる)</label>
            <p className="hint" id="renotify-hint">
              {opinion.email ? '編集だけではメールは送られません。知らせる場合はチェックしてください。' : '投稿者はメールアドレスを記入していないため、知らせることはできません。'}
            </p>
          </div>
        ) : opinion.email ? (
          <p className="hint">公開すると、投稿者に回答とその掲載先をメールで知らせます。</p>
        ) : null}

        <div className="reply-editor__actions">
          <button type="submit" name="intent" value="preview" className="button--secondary" disabled={busy}>
            プレビュー
          </button>
          {!published ? (
            <button type="submit" name="intent" value="draft" className="button--secondary" disabled={busy}>
              下書きを保存
            </button>
          ) : null}
          <button type="submit" name="intent" value="publish" disabled={busy}>
            {published ? '更新して公開する' : '公開する'}
          </button>
        </div>
      </Form>

      {result?.preview ? (
        <section ref={previewRef} tabIndex={-1} aria-labelledby="preview-title" className="reply-preview">
          <h2 id="preview-title">プレビュー(公開ページでの表示)</h2>
          {result.preview.warnings.length ? (
            <ul className="alert">
              {result.preview.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
          <div className="reply-preview__frame">
            <SectionReplies
              slug={opinion.reportSlug}
              sectionNumber={opinion.sectionNumber}
              total={1}
              replies={[result.preview.entry]}
              headingLevel={3}
              linkToAll={false}
            />
          </div>
        </section>
      ) : null}

      {published ? (
        <Form method="post" aria-labelledby="unpublish-title" className="reply-editor__unpublish">
          <h2 id="unpublish-title">公開を取り下げる</h2>
          <input type="hidden" name="intent" value="unpublish" />
          <div className="field">
            <label htmlFor="reason">
              取り下げの理由<span className="required">必須</span>
            </label>
            <textarea
              id="reason"
              name="reason"
              rows={3}
              required
              maxLength={UNPUBLISH_REASON_MAX_CHARS}
              defaultValue={result?.form === 'unpublish' ? result.values.reason : ''}
              aria-invalid={unpublishError ? true : undefined}
              aria-describedby={unpublishError ? 'reason-error' : 'reason-hint'}
            />
            <p className="hint" id="reason-hint">
              理由は記録され、監査ログに残ります(公開はされません)。
            </p>
            {unpublishError ? (
              <p className="field-error" id="reason-error">
                {unpublishError}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button--secondary" disabled={busy}>
            公開を取り下げる
          </button>
        </Form>
      ) : null}

      {editor.revisions.length ? (
        <details className="reply-editor__history">
          <summary>公開した版の履歴({editor.revisions.length}件)</summary>
          <ol>
            {editor.revisions.map((v) => (
              <li key={v.id}>
                <p>
                  <time dateTime={v.createdAt}>{formatDateTime(v.createdAt)}</time> ／ {v.createdBy} ／ 意見の公開:{v.showOpinion ? 'あり' : 'なし'}
                </p>
                <p className="user-text">{v.body}</p>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}
