// /staff/opinions/:id/reply — a moderator writes the official reply, chooses
// whether to show the (redacted) opinion beside it, previews it exactly as the
// public will see it, and publishes, edits or withdraws it. Works without
// JavaScript: the template picker and the preview are ordinary form posts that
// keep what was typed. The underscore after $id keeps this page out of the
// opinion page's layout. Limits and messages come from ~/schemas/reply-fields:
// this module runs in the browser, where a *.server import is empty.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { OriginalOpinion, ReplyPreviewSection, ReplyStateLine, RevisionHistory, UnpublishForm } from '~/components/reply-editor';
import { ReplyForm, type ReplyFormValues } from '~/components/reply-form';
import { getRequestT } from '~/i18n/i18n.server';
import { staffFormat, staffMeta, useStaffFormat } from '~/i18n/staff-format';
import type { PersonalDataFinding } from '~/domain/personal-data';
import { findReplyPersonalData, getReplyDraftForOpinion, previewReply, type ReplyPreview } from '~/models/replies.server';
import { PersonalDataError } from '~/models/reply-rules.server';
import { isReplyPublic, publicReplyPath } from '~/models/replies-public.server';
import { publishReply, saveReplyDraft, unpublishReply } from '~/models/replies-publish.server';
import { appendTemplate, getActiveReplyTemplate, listReplyTemplates } from '~/models/reply-templates.server';
import { NOT_PERSONAL_DATA_FIELD, notPersonalDataSchema, REPLY_MESSAGE_VALUES, REPLY_MESSAGES, replyFormSchema } from '~/schemas/reply';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseFormData, readFormBody, requireId, type FieldErrors } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError, wordMessage } from '~/utils/user-error.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.title, matches);

/** After a redirect (?done=…): what was done, keys of the staff catalog. */
const DONE_MESSAGES = {
  publish: 'replyPage.done.publish',
  edit: 'replyPage.done.edit',
  unpublish: 'replyPage.done.unpublish',
  draft: 'replyPage.done.draft',
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'replies');
  const { t, lng } = await getRequestT(request, 'staff');
  const NOT_FOUND = t('replyPage.notFound');
  const opinionId = requireId(params, 'id', NOT_FOUND);
  const db = getDb();
  const [editor, templates] = await Promise.all([getReplyDraftForOpinion(db, opinionId), listReplyTemplates(db)]);
  if (!editor) throw new Response(NOT_FOUND, { status: 404 });
  const url = new URL(request.url);
  // ?template=<id>: the same insertion as the button, for a plain link or bookmark.
  const templateId = Number(url.searchParams.get('template'));
  const template = Number.isInteger(templateId) && templateId > 0 ? await getActiveReplyTemplate(db, templateId) : null;
  const stored = editor.reply?.body ?? '';
  const done = url.searchParams.get('done');
  let doneMessage: string | null = done && done in DONE_MESSAGES ? t(DONE_MESSAGES[done as keyof typeof DONE_MESSAGES]) : null;
  if (doneMessage && done === 'unpublish') doneMessage += t('replyPage.statusNow', { status: staffFormat(t, lng).status(editor.opinion.status) });
  if (doneMessage && url.searchParams.get('mail') === '1') doneMessage += t('replyPage.mailQueued');
  const { reply, opinion } = editor;
  const published = reply !== null && isReplyPublic(reply.status);
  return {
    title: `${t('replyPage.metaTitle', { number: editor.opinion.trackingNumber })} | ${t('meta.suffix')}`,
    editor,
    body: template ? appendTemplate(stored, template) : stored,
    templates: templates.map((t) => ({ id: t.id, title: t.title })),
    published,
    publicHref: published ? publicReplyPath(opinion.reportSlug, opinion.sectionNumber, reply.id) : null,
    doneMessage,
  };
}

type Values = ReplyFormValues;

type ActionResult = {
  ok: boolean;
  /** Changes on every answer, so the form re-mounts with these values. */
  key: string;
  message: string | null;
  errors: FieldErrors;
  /** What was typed (a template insertion adds to the body). */
  values: Values;
  /** The preview with its warnings worded for the reader. */
  preview?: Omit<ReplyPreview, 'warnings'> & { warnings: string[] };
  /** The "公開前の確認" list for the text answered with (absent: keep the page's). */
  findings?: PersonalDataFinding[];
  /** Which form the message belongs to. */
  form: 'reply' | 'unpublish';
};

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'replies');
  const { t, lng } = await getRequestT(request, 'staff');
  // Messages travel translated (the page data carries them as text); a model's key is translated here too.
  const say = (message: string | null) => (message === null ? null : staffFormat(t, lng).message(message, REPLY_MESSAGE_VALUES));
  const NOT_FOUND = t('replyPage.notFound');
  const opinionId = requireId(params, 'id', NOT_FOUND);
  const form = await readFormBody(request);
  const parsed = parseFormData(form, replyFormSchema);
  const typed = parsed.values;
  // Every ticked box (parseFormData keeps one value per field).
  const notPersonalData = notPersonalDataSchema.parse(form.getAll(NOT_PERSONAL_DATA_FIELD));
  const values: Values = {
    body: typed.body ?? '',
    redactedOpinion: typed.redactedOpinion ?? '',
    showOpinion: typed.showOpinion === 'on',
    renotify: typed.renotify === 'on',
    reason: typed.reason ?? '',
    notPersonalData,
  };
  const answer = (result: Omit<ActionResult, 'key' | 'values' | 'errors' | 'form'> & Partial<ActionResult>, status = 200) =>
    data<ActionResult>({ key: `${Date.now()}`, values, errors: {}, form: typed.intent === 'unpublish' ? 'unpublish' : 'reply', ...result }, { status });
  if (!parsed.success) return answer({ ok: false, message: say(parsed.formError), errors: parsed.errors }, 400);

  const input = parsed.data.intent === 'unpublish' ? parsed.data : { ...parsed.data, notPersonalData };
  const db = getDb();
  const base = `/staff/opinions/${opinionId}/reply`;
  try {
    switch (input.intent) {
      case 'template': {
        const template = await getActiveReplyTemplate(db, input.templateId);
        if (!template) return answer({ ok: false, message: say(REPLY_MESSAGES.templateMissing), errors: { templateId: REPLY_MESSAGES.templateMissing } }, 400);
        const message = t('replyPage.templateInserted', { title: template.title });
        const body = appendTemplate(values.body, template);
        return answer({ ok: true, message, values: { ...values, body }, findings: await findReplyPersonalData(db, opinionId, { ...input, body }) });
      }
      case 'preview': {
        const preview = await previewReply(db, opinionId, input);
        return answer({ ok: true, message: null, preview: { ...preview, warnings: preview.warnings.map((w) => wordMessage(t, w)) }, findings: preview.findings });
      }
      case 'draft':
        await saveReplyDraft(db, actor, opinionId, input);
        return redirect(`${base}?done=draft`);
      case 'publish': {
        const result = await publishReply(db, actor, opinionId, input);
        return redirect(`${base}?done=${result.kind}${result.notified ? '&mail=1' : ''}`);
      }
      case 'unpublish':
        await unpublishReply(db, actor, opinionId, input.reason);
        return redirect(`${base}?done=unpublish`);
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (error.status === 404) throw new Response(error.describe(t, REPLY_MESSAGE_VALUES), { status: 404 });
    if (error instanceof PersonalDataError && input.intent !== 'unpublish') {
      return answer({ ok: false, message: error.describe(t, REPLY_MESSAGE_VALUES), findings: await findReplyPersonalData(db, opinionId, input) }, error.status);
    }
    return answer({ ok: false, message: error.describe(t, REPLY_MESSAGE_VALUES) }, error.status);
  }
}

export default function StaffOpinionReply() {
  const { editor, body, templates, published, publicHref, doneMessage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useIsPending();
  const { t } = useStaffFormat();
  const { opinion, reply } = editor;
  const messageRef = useRef<HTMLDivElement>(null);
  const previewRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (result?.preview) previewRef.current?.focus();
    else if (result?.message || doneMessage) messageRef.current?.focus();
  }, [result, doneMessage]);

  const values: Values = result?.values ?? { body, redactedOpinion: editor.redactedOpinion, showOpinion: reply?.showOpinion ?? false, renotify: false, reason: '', notPersonalData: [] };
  const findings = result?.findings ?? editor.findings;
  const replyError = result && !result.ok && result.form === 'reply' ? result.message : null;
  const unpublishError = result && !result.ok && result.form === 'unpublish' ? result.message : null;

  return (
    <div className="reply-editor">
      <p>
        <Link to={`/staff/opinions/${opinion.id}`}>{t('replyPage.back', { number: opinion.trackingNumber })}</Link>
      </p>
      <h1>{t('replyPage.title')}</h1>

      {doneMessage && !result ? (
        <div ref={messageRef} tabIndex={-1} className="notice" role="status">
          {doneMessage}
          {publicHref ? <> <a href={publicHref}>{t('replyPage.viewPublic')}</a></> : null}
        </div>
      ) : null}
      {result?.message ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </div>
      ) : null}

      <OriginalOpinion opinion={opinion} />
      <ReplyStateLine reply={reply} publicHref={publicHref} />

      <ReplyForm
        formKey={result?.key ?? reply?.updatedAt ?? 'new'}
        opinion={opinion}
        published={published}
        templates={templates}
        values={values}
        findings={findings}
        errors={result?.errors ?? {}}
        replyError={replyError}
        busy={busy}
      />

      {result?.preview ? <ReplyPreviewSection ref={previewRef} preview={result.preview} slug={opinion.reportSlug} sectionNumber={opinion.sectionNumber} /> : null}
      {published ? <UnpublishForm busy={busy} reason={result?.form === 'unpublish' ? result.values.reason : ''} error={unpublishError} /> : null}
      <RevisionHistory revisions={editor.revisions} />
    </div>
  );
}
