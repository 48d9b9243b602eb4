// Enrolling a second factor: a QR code (server-rendered SVG, no JavaScript
// needed) and the secret as text, confirmed by a current code; then ten
// recovery codes, shown once.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { formMessage } from '~/schemas/admin-messages';
import { EnrolSchema } from '~/schemas/account';
import { confirmEnrolment, getOrStartEnrolment, getTwoFactorState, renewRecoveryCodes } from '~/models/two-factor.server';
import { enrolmentPicture, groupSecret } from '~/models/totp.server';
import { getDb } from '~/server/db.server';
import { requireUser, twoFactorRequired } from '~/server/session.server';
import { getEnv } from '~/utils/env.server';
import { formatDateTime } from '~/utils/local-time';
import { parseForm } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const state = await getTwoFactorState(db, user.id);
  const secret = await getOrStartEnrolment(db, user.id);
  const picture = secret ? await enrolmentPicture(user.email, secret) : null;
  const { t } = await getRequestT(request, 'admin');
  return {
    title: t('twoFactor.meta'),
    state,
    required: twoFactorRequired(user.role),
    enrolment: secret && picture ? { secret: groupSecret(secret), qrSvg: picture.svg } : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const formData = await request.clone().formData();
  if (formData.get('intent') === 'renew' && (await getTwoFactorState(db, user.id)).enabled) {
    return { codes: await renewRecoveryCodes(db, user), error: null };
  }
  const { t } = await getRequestT(request, 'admin');
  const form = await parseForm(request, EnrolSchema);
  if (!form.success) return data({ codes: null, error: formMessage(t, form.errors.code ?? 'admin:validation.codeRequired') }, { status: 400 });
  const codes = await confirmEnrolment(db, user, form.data.code, getEnv().PUBLIC_URL);
  if (!codes) return data({ codes: null, error: t('twoFactor.wrongCode') }, { status: 400 });
  return { codes, error: null };
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useTranslation('admin');
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="notice" role="status" tabIndex={-1} ref={ref}>
      <h2>{t('twoFactor.recovery.heading')}</h2>
      <p>{t('twoFactor.recovery.body')}</p>
      <ul className="recovery-codes" aria-label={t('twoFactor.recovery.heading')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <a href="/staff">{t('twoFactor.recovery.continue')}</a>
      </p>
    </div>
  );
}

export default function TwoFactor() {
  const { state, required, enrolment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useIsPending();
  const inputRef = useRef<HTMLInputElement>(null);
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
  useEffect(() => {
    if (result?.error) inputRef.current?.focus();
  }, [result]);

  if (result?.codes) {
    return (
      <>
        <h1>{t('twoFactor.heading')}</h1>
        <p>{t('twoFactor.enrolled')}</p>
        <RecoveryCodes codes={result.codes} />
      </>
    );
  }

  return (
    <>
      <h1>{t('twoFactor.heading')}</h1>
      {state.enabled ? (
        <>
          <p>
            {t('twoFactor.enabled', { at: state.enabledAt ? formatDateTime(state.enabledAt, locale) : '', count: state.unusedRecoveryCodes })}
          </p>
          <p>{t('twoFactor.newPhone')}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="renew" />
            <button type="submit" className="button--secondary">
              {t('twoFactor.renew')}
            </button>
          </Form>
        </>
      ) : enrolment ? (
        <>
          {required ? (
            <div className="alert" role="alert">
              {t('twoFactor.required')}
            </div>
          ) : null}
          <ol>
            <li>{t('twoFactor.steps.app')}</li>
            <li>
              {t('twoFactor.steps.scan')}
              <figure className="totp-qr">
                <div role="img" aria-label={t('twoFactor.qr')} dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }} />
                <figcaption>
                  {t('twoFactor.secret')} <code id="totp-secret">{enrolment.secret}</code>
                </figcaption>
              </figure>
            </li>
            <li>{t('twoFactor.steps.code')}</li>
          </ol>
          <Form method="post" noValidate>
            <div className="field">
              <label htmlFor="enrol-code">{t('twoFactor.code')}</label>
              <input
                id="enrol-code"
                name="code"
                ref={inputRef}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={10}
                aria-invalid={result?.error ? true : undefined}
                aria-describedby={result?.error ? 'enrol-code-error' : undefined}
              />
              {result?.error ? (
                <p className="field-error" id="enrol-code-error">
                  {result.error}
                </p>
              ) : null}
            </div>
            <button type="submit" aria-disabled={busy || undefined}>
              {busy ? t('twoFactor.submitting') : t('twoFactor.submit')}
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
