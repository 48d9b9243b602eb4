// The person's own password. Also the only page open to someone whose
// password was generated or reset by an admin, until they change it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getRequestT } from '~/i18n/i18n.server';
import { formMessage, formMessages } from '~/schemas/admin-messages';
import { ACCOUNT_LIMITS, PasswordChangeSchema, passwordStrength } from '~/schemas/account';
import { changeOwnPassword } from '~/models/users.server';
import { getDb } from '~/server/db.server';
import { removeInitialAdminPasswordFile } from '~/server/boot.server';
import { currentSessionKey, requireUser } from '~/server/session.server';
import { getEnv } from '~/utils/env.server';
import { parseForm, type FieldErrors } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getRequestT(request, 'admin');
  return { title: t('password.meta'), mustChange: user.mustChangePassword, changed: new URL(request.url).searchParams.has('changed') };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getRequestT(request, 'admin');
  const form = await parseForm(request, PasswordChangeSchema);
  if (!form.success) return data({ errors: formMessages(t, form.errors) }, { status: 400 });
  const result = await changeOwnPassword(getDb(), user, {
    currentPassword: form.data.currentPassword,
    newPassword: form.data.newPassword,
    keepSession: await currentSessionKey(request),
    publicUrl: getEnv().PUBLIC_URL,
  });
  if (!result.ok) return data({ errors: { [result.field]: formMessage(t, result.message.key, result.message.values) } as FieldErrors }, { status: 400 });
  // The first admin's generated password is no longer worth keeping on disk.
  if (user.mustChangePassword) removeInitialAdminPasswordFile(user.email);
  throw redirect('/staff/account/password?changed=1');
}

const STRENGTH_LABELS = ['password.strength.tooShort', 'password.strength.weak', 'password.strength.fair', 'password.strength.strong', 'password.strength.veryStrong'] as const;

function PasswordField({ id, name, label, autoComplete, error, hint, onInput }: {
  id: string;
  name: string;
  label: string;
  autoComplete: string;
  error?: string;
  hint?: string;
  onInput?: (value: string) => void;
}) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="password"
        autoComplete={autoComplete}
        maxLength={ACCOUNT_LIMITS.passwordMax}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onInput={onInput ? (e) => onInput(e.currentTarget.value) : undefined}
      />
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

export default function AccountPassword() {
  const { mustChange, changed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result?.errors ?? {};
  const busy = useIsPending();
  const [strength, setStrength] = useState<number | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const { t } = useTranslation('admin');

  useEffect(() => {
    const first = formRef.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]');
    if (first) first.focus();
    else if (changed) statusRef.current?.focus();
  }, [result, changed]);

  return (
    <>
      <h1>{t('password.heading')}</h1>
      {changed && !result ? (
        <div className="notice" role="status" tabIndex={-1} ref={statusRef}>
          {t('password.changed')}
        </div>
      ) : null}
      {mustChange ? (
        <div className="alert" role="alert">
          {t('password.mustChange')}
        </div>
      ) : null}
      <Form method="post" noValidate ref={formRef}>
        <PasswordField id="current-password" name="currentPassword" label={t('password.current')} autoComplete="current-password" error={errors.currentPassword} />
        <PasswordField
          id="new-password"
          name="newPassword"
          label={t('password.new')}
          autoComplete="new-password"
          error={errors.newPassword}
          hint={t('password.hint', { passwordMin: ACCOUNT_LIMITS.passwordMin })}
          onInput={(value) => setStrength(value ? passwordStrength(value) : null)}
        />
        {strength !== null ? (
          <p className="password-strength" aria-live="polite">
            {t('password.strength.label')} <meter min={0} max={4} value={strength} aria-label={t('password.strength.meter')} /> {t(STRENGTH_LABELS[strength])}
          </p>
        ) : null}
        <PasswordField id="confirm-password" name="confirmPassword" label={t('password.confirm')} autoComplete="new-password" error={errors.confirmPassword} />
        <button type="submit" aria-disabled={busy || undefined}>
          {busy ? t('password.submitting') : t('password.submit')}
        </button>
      </Form>
    </>
  );
}
