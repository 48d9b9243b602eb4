// /staff/notices/new — paste or upload a notice, see what the parser made of
// it (or each problem with its line), then publish or save it as a draft.
// Nothing is stored before "publish" or "save as draft".
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useEffect, useRef, type ReactNode } from 'react';
import { NoticePreview, ParseErrors } from '~/components/notice-preview';
import { useTranslation } from 'react-i18next';
import { getRequestT } from '~/i18n/i18n.server';
import { ADMIN_MESSAGE_VALUES, formMessage, formMessages } from '~/schemas/admin-messages';
import { NoticeTextFields } from '~/components/notice-text-fields';
import { previewNotice, readNoticeText, type NoticePreview as Preview } from '~/models/notice-text.server';
import { importNotice } from '~/models/notices.server';
import { NOTICE_FORM_MAX_BYTES, NOTICE_LIMITS, NoticeNewSchema } from '~/schemas/notice-admin';
import { getDb } from '~/server/db.server';
import { invalidateReportPages } from '~/server/page-version.server';
import { requireUser } from '~/server/session.server';
import { parseFormData, readFormBody, type FieldErrors } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';
import { readLocalBound } from '~/domain/comment-period';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];
export const handle = { i18n: ['admin'] };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'notices');
  const { t } = await getRequestT(request, 'admin');
  return { title: t('notices.new.meta') };
}

type Values = { slug: string; opensAt: string; closesAt: string; officeHours: string };
type ActionResult = {
  text: string;
  values: Values;
  preview: Preview | null;
  errors: FieldErrors;
  message: string | null;
  /** Remounts the file input after each answer, so a chosen file is not sent twice. */
  key: string;
};

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'notices');
  const { t } = await getRequestT(request, 'admin');
  let form: FormData;
  try {
    form = await readFormBody(request, NOTICE_FORM_MAX_BYTES);
  } catch (error) {
    if (error instanceof Response && error.status === 413) {
      return data<ActionResult>(
        { text: '', values: { slug: '', opensAt: '', closesAt: '', officeHours: '' }, preview: null, errors: {}, message: t('notices.tooLarge'), key: String(Date.now()) },
        { status: 413, headers: { Connection: 'close' } },
      );
    }
    throw error;
  }
  const parsed = parseFormData(form, NoticeNewSchema);
  const values: Values = {
    slug: parsed.values.slug ?? '',
    opensAt: parsed.values.opensAt ?? '',
    closesAt: parsed.values.closesAt ?? '',
    officeHours: parsed.values.officeHours ?? '',
  };
  const key = String(Date.now());
  const answer = (status: number, rest: Partial<ActionResult>) =>
    data<ActionResult>({ text: '', values, preview: null, errors: {}, message: null, key, ...rest }, { status });

  const read = await readNoticeText(form);
  if (!read.ok) {
    const message = formMessage(t, read.message, read.values);
    return answer(read.status, { text: typeof parsed.values.text === 'string' && read.status !== 413 ? parsed.values.text : '', errors: { text: message }, message });
  }
  const preview = previewNotice(read.text, t);
  if (!parsed.success) return answer(400, { text: read.text, preview, errors: formMessages(t, parsed.errors), message: t('checkInput') });
  if (preview.errors.length > 0) return answer(400, { text: read.text, preview });
  if (parsed.data.intent === 'preview') return answer(200, { text: read.text, preview });

  const { intent, slug, opensAt, closesAt, officeHours } = parsed.data;
  try {
    const result = await importNotice(getDb(), read.text, slug, { mode: 'create', draft: intent === 'draft', opensAt, closesAt, officeHours, actor });
    invalidateReportPages();
    return redirect(`/staff/notices/${result.reportId}?done=${intent === 'draft' ? 'draft' : 'published'}`);
  } catch (error) {
    if (error instanceof UserError) {
      const message = error.describe(t, ADMIN_MESSAGE_VALUES);
      return answer(error.status, { text: read.text, preview, errors: error.status === 409 ? { slug: message } : {}, message });
    }
    throw error;
  }
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: (describedBy: string | undefined) => ReactNode }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(describedBy)}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export default function NewNotice() {
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const pending = useIsPending({ formMethod: 'POST' });
  const messageRef = useRef<HTMLDivElement>(null);
  const { t } = useTranslation('admin');
  useEffect(() => {
    if (result) messageRef.current?.focus();
  }, [result]);
  const v = result?.values ?? { slug: '', opensAt: '', closesAt: '', officeHours: '' };
  const e = result?.errors ?? {};
  const ok = result?.preview?.notice && result.preview.errors.length === 0;
  const invalid = (name: string) => (e[name] ? true : undefined);
  return (
    <div>
      <p className="back-link">
        <Link to="/staff/notices">{t('notices.back')}</Link>
      </p>
      <h1>{t('notices.new.heading')}</h1>
      <div ref={messageRef} tabIndex={-1}>
        {result?.message ? (
          <p className="alert" role="alert">
            {result.message}
          </p>
        ) : null}
        {ok ? (
          <p className="notice" role="status">
            {t('notices.new.parsed')}
          </p>
        ) : null}
      </div>
      {result?.preview && result.preview.errors.length > 0 ? <ParseErrors errors={result.preview.errors} /> : null}

      <Form method="post" encType="multipart/form-data" noValidate aria-label={t('notices.new.heading')}>
        <NoticeTextFields text={result?.text ?? ''} error={e.text} fileKey={result?.key} />
        <Field id="notice-slug" label={t('notices.new.slug')} hint={t('notices.new.slugHint')} error={e.slug}>
          {(describedBy) => (
            <input id="notice-slug" name="slug" type="text" required maxLength={NOTICE_LIMITS.slugMax} defaultValue={v.slug} aria-invalid={invalid('slug')} aria-describedby={describedBy} />
          )}
        </Field>
        <fieldset>
          <legend>{t('notices.new.periodLegend')}</legend>
          <Field id="notice-opens" label={t('notices.period.opensAt')} error={e.opensAt}>
            {(describedBy) => <input id="notice-opens" name="opensAt" type="datetime-local" defaultValue={v.opensAt} aria-invalid={invalid('opensAt')} aria-describedby={describedBy} />}
          </Field>
          <Field id="notice-closes" label={t('notices.period.closesAt')} error={e.closesAt}>
            {(describedBy) => <input id="notice-closes" name="closesAt" type="datetime-local" defaultValue={v.closesAt} aria-invalid={invalid('closesAt')} aria-describedby={describedBy} />}
          </Field>
          <Field id="notice-hours" label={t('notices.period.officeHours')} hint={t('notices.period.officeHoursHint', { hours: t('notices.period.defaultOfficeHours') })} error={e.officeHours}>
            {(describedBy) => (
              <input id="notice-hours" name="officeHours" type="text" maxLength={NOTICE_LIMITS.officeHoursMax} defaultValue={v.officeHours} aria-invalid={invalid('officeHours')} aria-describedby={describedBy} />
            )}
          </Field>
        </fieldset>
        <div className="toolbar">
          <button type="submit" name="intent" value="preview" disabled={pending}>
            {t('notices.new.preview')}
          </button>
          {ok ? (
            <>
              <button type="submit" name="intent" value="publish" disabled={pending}>
                {t('notices.new.publish')}
              </button>
              <button type="submit" name="intent" value="draft" className="button--secondary" disabled={pending}>
                {t('notices.new.draft')}
              </button>
            </>
          ) : null}
        </div>
      </Form>
      {ok && result?.preview?.notice ? (
        <NoticePreview
          notice={result.preview.notice}
          period={{ opensAt: readLocalBound(v.opensAt) ?? null, closesAt: readLocalBound(v.closesAt) ?? null }}
        />
      ) : null}
    </div>
  );
}
