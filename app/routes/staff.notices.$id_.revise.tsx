// /staff/notices/:id/revise — paste (or upload) the new text, see a diff per
// section and item against the latest revision, publish it as a new revision.
// Opinions stay attached to section/item numbers; a revision that moves text
// to other numbers needs an explicit confirmation.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ParseErrors } from '~/components/notice-preview';
import { getRequestT } from '~/i18n/i18n.server';
import { ADMIN_MESSAGE_VALUES, formMessage } from '~/schemas/admin-messages';
import { NoticeTextFields } from '~/components/notice-text-fields';
import { RevisionDiff } from '~/components/revision-diff';
import type { NoticeDiff } from '~/domain/notice-diff';
import { getNoticeForRevision } from '~/models/notice-admin.server';
import { previewNotice, readNoticeText } from '~/models/notice-text.server';
import { diffAgainstLatest, importNotice } from '~/models/notices.server';
import { NOTICE_FORM_MAX_BYTES, NoticeReviseSchema } from '~/schemas/notice-admin';
import { getDb } from '~/server/db.server';
import { invalidateReportPages } from '~/server/page-version.server';
import { requireUser } from '~/server/session.server';
import { parseFormData, readFormBody, requireId } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];
export const handle = { i18n: ['admin'] };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'notices');
  const { t } = await getRequestT(request, 'admin');
  const notice = await getNoticeForRevision(getDb(), requireId(params, 'id', t('notices.notFound')));
  if (!notice) throw new Response(t('notices.notFound'), { status: 404 });
  return { title: t('notices.revise.meta'), notice };
}

type ActionResult = {
  text: string;
  errors: Array<{ line: number; problem: string }>;
  diff: NoticeDiff | null;
  baseRevisionNo: number;
  message: string | null;
  key: string;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'notices');
  const { t } = await getRequestT(request, 'admin');
  const id = requireId(params, 'id', t('notices.notFound'));
  const db = getDb();
  const current = await getNoticeForRevision(db, id);
  if (!current) throw new Response(t('notices.notFound'), { status: 404 });
  const key = String(Date.now());
  const answer = (status: number, rest: Partial<ActionResult>) =>
    data<ActionResult>({ text: '', errors: [], diff: null, baseRevisionNo: current.revisionNo, message: null, key, ...rest }, { status });

  let form: FormData;
  try {
    form = await readFormBody(request, NOTICE_FORM_MAX_BYTES);
  } catch (error) {
    if (error instanceof Response && error.status === 413) return answer(413, { message: t('notices.tooLarge') });
    throw error;
  }
  const parsed = parseFormData(form, NoticeReviseSchema);
  const read = await readNoticeText(form);
  if (!read.ok) return answer(read.status, { message: formMessage(t, read.message, read.values) });
  if (!parsed.success) return answer(400, { text: read.text, message: parsed.formError ? formMessage(t, parsed.formError) : t('checkInput') });
  const preview = previewNotice(read.text, t);
  if (!preview.notice) return answer(400, { text: read.text, errors: preview.errors });
  const compared = await diffAgainstLatest(db, id, preview.notice);
  const diff = compared?.diff ?? null;
  if (parsed.data.intent === 'preview') return answer(200, { text: read.text, diff });
  if (diff && !diff.changed) return answer(400, { text: read.text, diff, message: t('notices.revise.unchanged') });

  try {
    await importNotice(db, read.text, current.slug, {
      mode: 'revise',
      baseRevisionNo: parsed.data.baseRevisionNo,
      confirmRenumbering: parsed.data.confirmRenumbering,
      actor,
    });
  } catch (error) {
    if (error instanceof UserError) return answer(error.status, { text: read.text, diff, message: error.describe(t, ADMIN_MESSAGE_VALUES) });
    throw error;
  }
  invalidateReportPages();
  return redirect(`/staff/notices/${id}?done=revised`);
}

export default function ReviseNotice() {
  const { notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const pending = useIsPending({ formMethod: 'POST' });
  const messageRef = useRef<HTMLDivElement>(null);
  const { t } = useTranslation('admin');
  useEffect(() => {
    if (result) messageRef.current?.focus();
  }, [result]);
  const diff = result?.diff ?? null;
  const ready = diff !== null && diff.changed && (result?.errors.length ?? 0) === 0;
  return (
    <div>
      <p className="back-link">
        <Link to={`/staff/notices/${notice.id}`}>← {notice.title}</Link>
      </p>
      <h1>{t('notices.revise.heading')}</h1>
      <p>{t('notices.revise.intro', { no: notice.revisionNo })}</p>
      <div ref={messageRef} tabIndex={-1}>
        {result?.message ? (
          <p className="alert" role="alert">
            {result.message}
          </p>
        ) : null}
      </div>
      {result && result.errors.length > 0 ? <ParseErrors errors={result.errors} /> : null}
      <Form method="post" encType="multipart/form-data" aria-label={t('notices.revise.heading')}>
        <input type="hidden" name="baseRevisionNo" value={result?.baseRevisionNo ?? notice.revisionNo} />
        <NoticeTextFields text={result?.text ?? notice.sourceText} fileKey={result?.key} />
        {ready && diff.renumbered.length > 0 ? (
          <div className="field field--check">
            <input id="confirm-renumbering" type="checkbox" name="confirmRenumbering" value="on" />
            <label htmlFor="confirm-renumbering">{t('notices.revise.confirmRenumbering')}</label>
          </div>
        ) : null}
        <div className="toolbar">
          <button type="submit" name="intent" value="preview" disabled={pending}>
            {t('notices.revise.preview')}
          </button>
          {ready ? (
            <button type="submit" name="intent" value="publish" disabled={pending}>
              {t('notices.revise.publish', { no: (result?.baseRevisionNo ?? notice.revisionNo) + 1 })}
            </button>
          ) : null}
        </div>
      </Form>
      {diff ? <RevisionDiff diff={diff} fromRevision={result?.baseRevisionNo ?? notice.revisionNo} /> : null}
    </div>
  );
}
