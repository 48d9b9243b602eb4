import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { getRequestT } from '~/i18n/i18n.server';
import { formMessage } from '~/schemas/admin-messages';
import { LoginSchema, STAFF_ADMIN_LIMITS } from '~/schemas/staff-admin';
import { recordSignInFailure, recordSignInSuccess } from '~/models/login-attempts.server';
import { getUserForSignIn, normalizeEmail } from '~/models/users.server';
import { getDb } from '~/server/db.server';
import { parseForm } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';
import { hashClient } from '~/server/client-hash.server';
import { admitLoginAttempt, checkLoginLock, OWNER_ALERT_FAILURES, type LoginLock } from '~/server/login-throttle.server';
import { isKnownDevice, rememberDevice } from '~/server/known-device.server';
import { flushRefusedSignIns, noteRefusedSignIn } from '~/server/refused-sign-ins.server';
import { getEnv } from '~/utils/env.server';
import { hashPassword, verifyPassword } from '~/utils/password.server';
import { assertSameOrigin, createUserSession, getUser, safeRedirect } from '~/server/session.server';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

// Document responses take their headers from here, not from data(): pass Retry-After on.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get('Retry-After');
  if (retryAfter) headers.set('Retry-After', retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
  if (await getUser(request)) throw redirect(redirectTo);
  const { t } = await getRequestT(request, 'admin');
  return { title: t('login.meta'), redirectTo, signedOut: url.searchParams.has('signedOut'), factorEnded: url.searchParams.get('factor') === 'ended' };
}

// Verifying against a throwaway hash when the email is unknown keeps the
// answer time the same, so timing does not reveal which emails exist.
let decoyHash: Promise<string> | undefined;

/** How long to wait, roughly: "about 24 seconds", "about 13 minutes". */
function lockMessage(t: TFunction, lock: LoginLock): string {
  const s = lock.retryAfterSeconds;
  const wait = s < 60 ? t('login.waitSeconds', { count: Math.max(1, s) }) : t('login.waitMinutes', { count: Math.ceil(s / 60) });
  return lock.scope === 'account' ? t('login.lockedAccount', { wait }) : t('login.lockedDevice', { wait });
}

function refused(t: TFunction, lock: LoginLock, emailTyped: string) {
  return data({ error: lockMessage(t, lock), email: emailTyped }, { status: 429, headers: { 'Retry-After': String(lock.retryAfterSeconds) } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const { t } = await getRequestT(request, 'admin');
  const parsed = await parseForm(request, LoginSchema);
  // Shown again in the form; the password never is.
  const emailTyped = (parsed.values.email ?? '').slice(0, STAFF_ADMIN_LIMITS.emailMax);
  if (!parsed.success) {
    return data({ error: t('login.missing'), email: emailTyped }, { status: 400 });
  }
  const db = getDb();
  const email = normalizeEmail(parsed.data.email);
  const clientHash = hashClient(context.clientIp);

  // Counted before the (slow) password check, so parallel guesses each count.
  const knownDevice = await isKnownDevice(request, email);
  const attempt = await admitLoginAttempt(db, { email, clientHash, knownDevice });
  if ('lock' in attempt) {
    if (noteRefusedSignIn(email, attempt.lock.scope, clientHash)) void flushRefusedSignIns(db, { everything: true });
    return refused(t, attempt.lock, emailTyped);
  }

  const user = await getUserForSignIn(db, email);
  decoyHash ??= hashPassword('decoy-password-never-matches');
  const ok = user
    ? await verifyPassword(parsed.data.password, user.passwordHash)
    : (await verifyPassword(parsed.data.password, await decoyHash), false);
  if (!user || !ok || !user.active) {
    await recordSignInFailure(db, {
      email,
      clientHash,
      reason: !user ? 'unknown_email' : !ok ? 'wrong_password' : 'inactive',
      user,
      streak: attempt.streak,
      streakStartedAt: attempt.streakStartedAt,
      alertAt: OWNER_ALERT_FAILURES,
      publicUrl: getEnv().PUBLIC_URL,
    });
    // The failure that starts a wait or a lock already says so.
    const nowLocked = await checkLoginLock(db, { email, clientHash, knownDevice });
    if (nowLocked) return refused(t, nowLocked, emailTyped);
    return data({ error: t('login.badCredentials'), email: emailTyped }, { status: 400 });
  }

  await recordSignInSuccess(db, attempt.attemptId, { id: user.id, email: user.email, displayName: user.displayName, role: user.role });
  const redirectTo = safeRedirect(parsed.data.redirectTo);
  const deviceCookie = await rememberDevice(request, email);
  // With a second factor the session opens nothing until the code is given.
  if (user.twoFactorEnabled) {
    return createUserSession(request, user.id, `/staff/login/2fa?redirectTo=${encodeURIComponent(redirectTo)}`, [deviceCookie], { pendingSecondFactor: true });
  }
  return createUserSession(request, user.id, redirectTo, [deviceCookie]);
}

export default function StaffLogin() {
  const { redirectTo, signedOut, factorEnded } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const alertRef = useRef<HTMLDivElement>(null);
  const busy = useIsPending();
  const { t } = useTranslation('admin');

  useEffect(() => {
    if (actionData?.error) alertRef.current?.focus();
  }, [actionData]);

  return (
    <div className="staff-login">
      <h1>{t('login.heading')}</h1>
      <p>
        <Trans t={t} i18nKey="login.intro" components={{ top: <a href="/" /> }} />
      </p>
      {signedOut && !actionData ? (
        <div className="notice" role="status">
          {t('login.signedOut')}
        </div>
      ) : null}
      {factorEnded && !actionData ? (
        <div className="alert" role="alert">
          {t('login.factorEnded')}
        </div>
      ) : null}
      {actionData?.error ? (
        <div className="alert" role="alert" id="login-error" tabIndex={-1} ref={alertRef}>
          {formMessage(t, actionData.error)}
        </div>
      ) : null}
      <Form method="post" noValidate aria-describedby={actionData?.error ? 'login-error' : undefined}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="field">
          <label htmlFor="login-email">{t('login.email')}</label>
          <input
            id="login-email"
            type="email"
            name="email"
            autoComplete="username"
            required
            defaultValue={actionData?.email ?? ''}
            aria-invalid={actionData?.error ? true : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            aria-invalid={actionData?.error ? true : undefined}
          />
        </div>
        <button type="submit" aria-disabled={busy || undefined}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </Form>
      <p className="hint">{t('login.hint')}</p>
    </div>
  );
}
