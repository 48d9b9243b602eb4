import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_NAMES, LANGUAGES } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { getTwoFactorState } from '~/models/two-factor.server';
import { getUserLanguage, updateOwnLanguage } from '~/models/user-language.server';
import { updateOwnName } from '~/models/users.server';
import { formMessage } from '~/schemas/admin-messages';
import { LanguageSchema, NameSchema } from '~/schemas/account';
import { STAFF_ADMIN_LIMITS } from '~/schemas/staff-admin';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const twoFactor = await getTwoFactorState(db, user.id);
  const { t } = await getRequestT(request, 'admin');
  return {
    title: t('account.meta'),
    user: { email: user.email, displayName: user.displayName, role: user.role },
    language: await getUserLanguage(db, user.id),
    twoFactor,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const intent = (await request.clone().formData()).get('intent');
  if (intent === 'language') {
    const form = await parseForm(request, LanguageSchema);
    // The page answers in the new language at once: the preference outranks the cookie.
    if (form.success) await updateOwnLanguage(getDb(), user, form.data.language);
    const { t } = await getRequestT(request, 'admin');
    if (!form.success) return data({ form: 'language' as const, ok: false as const, error: formMessage(t, form.errors.language ?? 'admin:validation.languageInvalid'), value: '' }, { status: 400 });
    return { form: 'language' as const, ok: true as const, message: t('account.language.saved') };
  }
  const { t } = await getRequestT(request, 'admin');
  const form = await parseForm(request, NameSchema);
  if (!form.success) {
    return data(
      { form: 'name' as const, ok: false as const, error: formMessage(t, form.errors.displayName ?? 'admin:validation.displayNameRequired'), value: form.values.displayName ?? '' },
      { status: 400 },
    );
  }
  await updateOwnName(getDb(), user, form.data.displayName);
  return { form: 'name' as const, ok: true as const, message: t('account.nameSaved') };
}

export default function AccountOverview() {
  const { user, language, twoFactor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useIsPending({ intent: 'name' });
  const savingLanguage = useIsPending({ intent: 'language' });
  const { t } = useTranslation('admin');
  const statusRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const nameError = result && !result.ok && result.form === 'name' ? result : null;
  const languageError = result && !result.ok && result.form === 'language' ? result.error : null;
  useEffect(() => {
    if (result?.ok) statusRef.current?.focus();
    else if (result?.form === 'name') inputRef.current?.focus();
    else if (result) document.getElementById('account-language-error')?.focus();
  }, [result]);

  return (
    <>
      <h1>{t('account.heading')}</h1>
      {result?.ok ? (
        <div className="notice" role="status" tabIndex={-1} ref={statusRef}>
          {result.message}
        </div>
      ) : null}
      <dl className="facts">
        <dt>{t('account.email')}</dt>
        <dd>{user.email}</dd>
        <dt>{t('account.role')}</dt>
        <dd>{t(`roles.${user.role}`)}</dd>
        <dt>{t('account.twoFactor')}</dt>
        <dd>
          {twoFactor.enabled ? t('account.twoFactorOn', { count: twoFactor.unusedRecoveryCodes }) : t('account.twoFactorOff')} —{' '}
          <Link to="/staff/account/2fa">{t('account.twoFactorLink')}</Link>
        </dd>
      </dl>
      <h2>{t('account.name')}</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="name" />
        <div className="field">
          <label htmlFor="account-name">{t('account.name')}</label>
          <input
            id="account-name"
            name="displayName"
            ref={inputRef}
            maxLength={STAFF_ADMIN_LIMITS.displayNameMax}
            defaultValue={nameError ? nameError.value : user.displayName}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? 'account-name-error' : undefined}
          />
          {nameError ? (
            <p className="field-error" id="account-name-error">
              {nameError.error}
            </p>
          ) : null}
        </div>
        <button type="submit" aria-disabled={busy || undefined}>
          {t('account.saveName')}
        </button>
      </Form>
      <h2>{t('account.language.heading')}</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="language" />
        <fieldset className="field" aria-describedby={languageError ? 'account-language-error account-language-hint' : 'account-language-hint'}>
          <legend>{t('account.language.legend')}</legend>
          <span className="radio">
            <input type="radio" id="account-language-browser" name="language" value="" defaultChecked={language === null} />{' '}
            <label htmlFor="account-language-browser">{t('account.language.browser')}</label>{' '}
          </span>
          {LANGUAGES.map((lng) => (
            <span className="radio" key={lng}>
              <input type="radio" id={`account-language-${lng}`} name="language" value={lng} defaultChecked={language === lng} />{' '}
              <label htmlFor={`account-language-${lng}`} lang={lng}>
                {LANGUAGE_NAMES[lng]}
              </label>{' '}
            </span>
          ))}
          <p className="hint" id="account-language-hint">
            {t('account.language.hint')}
          </p>
          {languageError ? (
            <p className="field-error" id="account-language-error" tabIndex={-1}>
              {languageError}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" aria-disabled={savingLanguage || undefined}>
          {t('account.language.save')}
        </button>
      </Form>
      <p>
        <Link to="/staff/account/password">{t('account.passwordLink')}</Link>
      </p>
    </>
  );
}
