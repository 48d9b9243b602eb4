// POST /staff/opinions/:id/attachments: staff attach scans to an opinion
// (multipart, streamed to disk), and a moderator publishes one image beside
// the reply or withdraws it. Each is audited. Done → back to the opinion; a
// refusal → this page with the reason (the opinion page stays as it was).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getRequestT } from '~/i18n/i18n.server';
import { staffMeta } from '~/i18n/staff-format';
import { canAccess } from '~/domain/access';
import { attachOpinionFiles, setAttachmentPublished } from '~/models/attachments.server';
import { attachmentActionSchema } from '~/schemas/attachment-actions';
import { AttachmentRefused, storeAttachments } from '~/server/attachment-content.server';
import { discardReceivedFiles, readUploadForm } from '~/server/attachment-upload.server';
import { getDb } from '~/server/db.server';
import { invalidateReportPages } from '~/server/page-version.server';
import { requireUser } from '~/server/session.server';
import { parseFormData, requireId } from '~/utils/form.server';
import { UserError } from '~/utils/user-error.server';

export const handle = { i18n: ['attachments'] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.title, matches);

// The loader only words the title: Remix runs loaders after a document POST
// too, so a redirecting loader would swallow the refusal page. A plain GET
// shows a pointer back to the opinion.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t } = await getRequestT(request, ['attachments', 'staff']);
  return { title: `${t('attachments:staff.title')} | ${t('staff:meta.suffix')}` };
}

type Result = { ok: false; message: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getRequestT(request, ['attachments', 'staff']);
  const id = requireId(params, 'id', t('attachments:staff.notFound'));
  const upload = await readUploadForm(request);
  try {
    if (upload.refusal) return data<Result>({ ok: false, message: upload.refusal.message }, { status: upload.refusal.status });
    const form = parseFormData(upload.form, attachmentActionSchema);
    if (!form.success) return data<Result>({ ok: false, message: t(form.errors.attachmentId ?? 'attachments:staff.badIntent') }, { status: 400 });
    const db = getDb();
    const input = form.data;
    if (input.intent === 'attach') {
      if (upload.files.length === 0) return data<Result>({ ok: false, message: t('attachments:staff.noFiles') }, { status: 400 });
      const stored = await storeAttachments(upload.files);
      await attachOpinionFiles(db, user, id, stored);
    } else {
      if (!canAccess(user.role, 'replies')) {
        return data<Result>({ ok: false, message: t('attachments:staff.publishForbidden') }, { status: 403 });
      }
      await setAttachmentPublished(db, user, id, input.attachmentId, input.intent === 'publish');
      invalidateReportPages();
    }
    return redirect(`/staff/opinions/${id}#attachments`, 303);
  } catch (error) {
    if (error instanceof AttachmentRefused) return data<Result>({ ok: false, message: error.describe(t) }, { status: 415 });
    if (error instanceof UserError) {
      if (error.status === 404) throw new Response(error.describe(t), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
      return data<Result>({ ok: false, message: error.describe(t) }, { status: error.status });
    }
    throw error;
  } finally {
    discardReceivedFiles(upload.files);
  }
}

export default function OpinionAttachmentsRoute() {
  const result = useActionData<typeof action>() as Result | undefined;
  const { id } = useParams();
  const { t } = useTranslation('attachments');
  return (
    <article aria-labelledby="attachments-page-title">
      <h1 id="attachments-page-title">{t('staff.title')}</h1>
      <div className="alert" role="alert">
        <p>{result?.message ?? t('staff.useOpinionPage')}</p>
      </div>
      <p>
        <Link to={`/staff/opinions/${id}#attachments`}>{t('staff.back')}</Link>
      </p>
    </article>
  );
}
