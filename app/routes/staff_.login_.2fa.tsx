// The second sign-in step: the password was right, the session waits for a
// 6-digit code (or a recovery code). Its own limits: a few wrong codes end
// this sign-in (the password must be given again), and many on one account
// within 15 minutes refuse further codes for a while.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { getRequestT } from '~/i18n/i18n.server';
import { formMessage } from '~/schemas/admin-messages';
import { ACCOUNT_LIMITS, SecondFactorSchema } from '~/schemas/account';
import { recordAudit } from '~/models/audit.server';
import { countFactorFailure, completeSecondFactor, deleteSession } from '~/models/sessions.server';
import { countRecentFactorFailures, FACTOR_ACCOUNT_FAILURES, FACTOR_SESSION_FAILURES, verifySecondFactor } from '~/models/two-factor.server';
import { getUserById } from '~/models/users.server';
import { getDb } from '~/server/db.server';
import { assertSameOrigin, getPendingSignIn, safeRedirect } from '~/server/session.server';
import { getEnv } from '~/utils/env.server';
import { parseForm } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

const START_AGAIN = '/staff/login?factor=ended';

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await getPendingSignIn(request);
  if (!pending) throw redirect('/staff/login');
  const { t } = await getRequestT(request, 'admin');
  return { title: t('secondFactor.meta'), redirectTo: safeRedirect(new URL(request.url).searchParams.get('redirectTo')) };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const pending = await getPendingSignIn(request);
  if (!pending) throw redirect(START_AGAIN);
  const db = getDb();
  const { t } = await getRequestT(request, 'admin');
  const parsed = await parseForm(request, SecondFactorSchema);
  if (!parsed.success) {
    return data({ error: formMessage(t, parsed.errors.code ?? 'admin:validation.codeRequired') }, { status: 400 });
  }
  const user = await getUserById(db, pending.userId);
  if (!user || !user.active) throw redirect('/staff/login');
  if ((await countRecentFactorFailures(db, user.id)) >= FACTOR_ACCOUNT_FAILURES) {
    await recordAudit(db, { actor: user, action: 'auth.2fa_locked', entityType: 'user', entityId: user.id });
    return data(
      { error: t('secondFactor.accountLocked') },
      { status: 429, headers: { 'Retry-After': '900' } },
    );
  }
  const method = await verifySecondFactor(db, { ...user, publicUrl: getEnv().PUBLIC_URL }, parsed.data.code);
  if (!method) {
    const failures = await countFactorFailure(db, pending.key);
    if (failures >= FACTOR_SESSION_FAILURES) {
      await deleteSession(db, pending.key);
      throw redirect(START_AGAIN);
    }
    return data({ error: t('secondFactor.wrongCode', { count: FACTOR_SESSION_FAILURES - failures }) }, { status: 400 });
  }
  await completeSecondFactor(db, pending.key, user.id, new Date().toISOString());
  throw redirect(safeRedirect(parsed.data.redirectTo));
}

export default function SecondFactor() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const alertRef = useRef<HTMLDivElement>(null);
  const busy = useIsPending();
  const { t } = useTranslation('admin');

  useEffect(() => {
    if (actionData?.error) alertRef.current?.focus();
  }, [actionData]);

  return (
    <div className="staff-login">
      <h1>{t('secondFactor.heading')}</h1>
      <p>{t('secondFactor.intro')}</p>
      {actionData?.error ? (
        <div className="alert" role="alert" id="code-error" tabIndex={-1} ref={alertRef}>
          {actionData.error}
        </div>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="field">
          <label htmlFor="second-factor-code">{t('secondFactor.code')}</label>
          <input
            id="second-factor-code"
            name="code"
            autoComplete="one-time-code"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={ACCOUNT_LIMITS.codeMax}
            required
            aria-invalid={actionData?.error ? true : undefined}
            aria-describedby={actionData?.error ? 'code-error' : undefined}
          />
        </div>
        <button type="submit" aria-disabled={busy || undefined}>
          {busy ? t('secondFactor.submitting') : t('secondFactor.submit')}
        </button>
      </Form>
      <p className="hint">
        <Trans t={t} i18nKey="secondFactor.hint" components={{ restart: <a href="/staff/login" /> }} />
      </p>
    </div>
  );
}
