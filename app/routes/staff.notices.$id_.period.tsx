// /staff/notices/:id/period (admins) — the comment period: set the dates
// before it begins; once it runs, extend it or close it early, each with a
// reason that is audited and shown on the public page.
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useNoticeWords } from '~/components/notice-preview';
import { getRequestT } from '~/i18n/i18n.server';
import { ADMIN_MESSAGE_VALUES, formMessage, formMessages } from '~/schemas/admin-messages';
import { getNoticeDetail } from '~/models/notice-admin.server';
import { changeCommentPeriod } from '~/models/notice-publish.server';
import { NOTICE_LIMITS, NoticePeriodSchema } from '~/schemas/notice-admin';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, requireId, type FieldErrors, type FormValues } from '~/utils/form.server';
import { toLocalDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];
export const handle = { i18n: ['admin'] };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const { t } = await getRequestT(request, 'admin');
  const notice = await getNoticeDetail(getDb(), requireId(params, 'id', t('notices.notFound')));
  if (!notice) throw new Response(t('notices.notFound'), { status: 404 });
  return { title: t('notices.periodPage.meta'), notice: { id: notice.id, title: notice.title, state: notice.state, period: notice.period } };
}

type ActionResult = { ok: boolean; message: string; intent: string; errors?: FieldErrors; values?: FormValues };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const { t } = await getRequestT(request, 'admin');
  const id = requireId(params, 'id', t('notices.notFound'));
  const form = await parseForm(request, NoticePeriodSchema);
  const intent = form.values.intent ?? '';
  if (!form.success) {
    return data<ActionResult>(
      { ok: false, intent, message: form.formError ? formMessage(t, form.formError) : t('checkInput'), errors: formMessages(t, form.errors), values: form.values },
      { status: 400 },
    );
  }
  try {
    const message = await changeCommentPeriod(getDb(), actor, id, form.data);
    return data<ActionResult>({ ok: true, intent, message: formMessage(t, message) });
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, intent, message: error.describe(t, ADMIN_MESSAGE_VALUES), values: form.values }, { status: error.status });
    throw error;
  }
}

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="field-error" id={id}>
      {error}
    </p>
  ) : null;
}

export default function PeriodRoute() {
  const { notice: n } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const pending = useIsPending({ formMethod: 'POST' });
  const messageRef = useRef<HTMLParagraphElement>(null);
  const words = useNoticeWords();
  const { t } = words;
  useEffect(() => {
    if (result) messageRef.current?.focus();
  }, [result]);
  const failed = result && !result.ok ? result : undefined;
  const errorsFor = (intent: string) => (failed?.intent === intent ? (failed.errors ?? {}) : {});
  const valueFor = (intent: string, name: string, fallback: string) => (failed?.intent === intent ? (failed.values?.[name] ?? fallback) : fallback);
  const local = (iso: string | null) => (iso ? toLocalDateTime(iso) : '');
  const running = n.state === 'open' || n.state === 'always' || n.state === 'closed';
  const set = errorsFor('set');
  const extend = errorsFor('extend');
  const close = errorsFor('close');
  return (
    <div>
      <p className="back-link">
        <Link to={`/staff/notices/${n.id}`}>← {n.title}</Link>
      </p>
      <h1>{t('notices.period.label')}</h1>
      {result ? (
        <p ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      <p>
        {t('notices.periodPage.current', { state: words.state(n.state), period: words.labelledPeriod(n.period) ?? t('notices.periodPage.always') })}
      </p>

      {!running ? (
        <section aria-labelledby="set-title">
          <h2 id="set-title">{t('notices.periodPage.set')}</h2>
          <p className="hint">{t('notices.periodPage.setHint')}</p>
          <Form method="post" noValidate aria-labelledby="set-title">
            <input type="hidden" name="intent" value="set" />
            <div className="field">
              <label htmlFor="set-opens">{t('notices.period.opensAt')}</label>
              <input id="set-opens" type="datetime-local" name="opensAt" defaultValue={valueFor('set', 'opensAt', local(n.period.opensAt))} aria-invalid={set.opensAt ? true : undefined} aria-describedby={set.opensAt ? 'set-opens-error' : undefined} />
              <ErrorText id="set-opens-error" error={set.opensAt} />
            </div>
            <div className="field">
              <label htmlFor="set-closes">{t('notices.period.closesAt')}</label>
              <input id="set-closes" type="datetime-local" name="closesAt" defaultValue={valueFor('set', 'closesAt', local(n.period.closesAt))} aria-invalid={set.closesAt ? true : undefined} aria-describedby={set.closesAt ? 'set-closes-error' : undefined} />
              <ErrorText id="set-closes-error" error={set.closesAt} />
            </div>
            <div className="field">
              <label htmlFor="set-hours">{t('notices.period.officeHours')}</label>
              <input id="set-hours" type="text" name="officeHours" maxLength={NOTICE_LIMITS.officeHoursMax} defaultValue={valueFor('set', 'officeHours', n.period.officeHours ?? '')} aria-describedby="set-hours-hint" />
              <p className="hint" id="set-hours-hint">
                {t('notices.period.officeHoursHint', { hours: t('notices.period.defaultOfficeHours') })}
              </p>
            </div>
            <button type="submit" disabled={pending}>
              {t('notices.periodPage.save')}
            </button>
          </Form>
        </section>
      ) : null}

      {n.state !== 'draft' ? (
        <section aria-labelledby="extend-title">
          <h2 id="extend-title">{t('notices.periodPage.extend')}</h2>
          <p className="hint">{t('notices.periodPage.extendHint')}</p>
          <Form method="post" noValidate aria-labelledby="extend-title">
            <input type="hidden" name="intent" value="extend" />
            <div className="field">
              <label htmlFor="extend-closes">{t('notices.periodPage.newClosesAt')}</label>
              <input id="extend-closes" type="datetime-local" name="closesAt" required defaultValue={valueFor('extend', 'closesAt', '')} aria-invalid={extend.closesAt ? true : undefined} aria-describedby={extend.closesAt ? 'extend-closes-error' : undefined} />
              <ErrorText id="extend-closes-error" error={extend.closesAt} />
            </div>
            <div className="field">
              <label htmlFor="extend-reason">{t('notices.periodPage.extendReason')}</label>
              <textarea id="extend-reason" name="reason" required maxLength={NOTICE_LIMITS.reasonMax} defaultValue={valueFor('extend', 'reason', '')} aria-invalid={extend.reason ? true : undefined} aria-describedby={extend.reason ? 'extend-reason-error' : undefined} />
              <ErrorText id="extend-reason-error" error={extend.reason} />
            </div>
            <button type="submit" disabled={pending}>
              {t('notices.periodPage.extendSubmit')}
            </button>
          </Form>
        </section>
      ) : null}

      {n.state === 'open' || n.state === 'always' ? (
        <section aria-labelledby="close-title">
          <h2 id="close-title">{t('notices.periodPage.close')}</h2>
          <p className="hint">{t('notices.periodPage.closeHint')}</p>
          <Form method="post" noValidate aria-labelledby="close-title">
            <input type="hidden" name="intent" value="close" />
            <div className="field">
              <label htmlFor="close-reason">{t('notices.periodPage.closeReason')}</label>
              <textarea id="close-reason" name="reason" required maxLength={NOTICE_LIMITS.reasonMax} defaultValue={valueFor('close', 'reason', '')} aria-invalid={close.reason ? true : undefined} aria-describedby={close.reason ? 'close-reason-error' : undefined} />
              <ErrorText id="close-reason-error" error={close.reason} />
            </div>
            <button type="submit" disabled={pending}>
              {t('notices.periodPage.closeSubmit')}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
