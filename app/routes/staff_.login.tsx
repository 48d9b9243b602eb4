import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { LoginSchema, STAFF_ADMIN_LIMITS } from '~/schemas/staff-admin';
import { recordSignInFailure, recordSignInSuccess } from '~/models/login-attempts.server';
import { getUserForSignIn, normalizeEmail } from '~/models/users.server';
import { getDb } from '~/server/db.server';
import { parseForm } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';
import { hashClient } from '~/server/client-hash.server';
import { admitLoginAttempt, checkLoginLock, lockMessage, OWNER_ALERT_FAILURES, type LoginLock } from '~/server/login-throttle.server';
import { isKnownDevice, rememberDevice } from '~/server/known-device.server';
import { flushRefusedSignIns, noteRefusedSignIn } from '~/server/refused-sign-ins.server';
import { getEnv } from '~/utils/env.server';
import { hashPassword, verifyPassword } from '~/utils/password.server';
import { assertSameOrigin, createUserSession, getUser, safeRedirect } from '~/server/session.server';

export const meta: MetaFunction = () => [{ title: '職員サインイン | 意見箱' }, { name: 'robots', content: 'noindex' }];

// Document responses take their headers from here, not from data(): pass Retry-After on.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get('Retry-After');
  if (retryAfter) headers.set('Retry-After', retryAfter);
  return headers;
};

const BAD_CREDENTIALS = 'メールアドレスまたはパスワードが正しくありません。';

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
  if (await getUser(request)) throw redirect(redirectTo);
  return { redirectTo, signedOut: url.searchParams.has('signedOut'), factorEnded: url.searchParams.get('factor') === 'ended' };
}

// Verifying against a throwaway hash when the email is unknown keeps the
// answer time the same, so timing does not reveal which emails exist.
let decoyHash: Promise<string> | undefined;

function refused(lock: LoginLock, emailTyped: string) {
  return data({ error: lockMessage(lock), email: emailTyped }, { status: 429, headers: { 'Retry-After': String(lock.retryAfterSeconds) } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const parsed = await parseForm(request, LoginSchema);
  // Shown again in the form; the password never is.
  const emailTyped = (parsed.values.email ?? '').slice(0, STAFF_ADMIN_LIMITS.emailMax);
  if (!parsed.success) {
    return data({ error: 'メールアドレスとパスワードを入力してください。', email: emailTyped }, { status: 400 });
  }
  const db = getDb();
  const email = normalizeEmail(parsed.data.email);
  const clientHash = hashClient(context.clientIp);

  // Counted before the (slow) password check, so parallel guesses each count.
  const knownDevice = await isKnownDevice(request, email);
  const attempt = await admitLoginAttempt(db, { email, clientHash, knownDevice });
  if ('lock' in attempt) {
    if (noteRefusedSignIn(email, attempt.lock.scope, clientHash)) void flushRefusedSignIns(db, { everything: true });
    return refused(attempt.lock, emailTyped);
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
    if (nowLocked) return refused(nowLocked, emailTyped);
    return data({ error: BAD_CREDENTIALS, email: emailTyped }, { status: 400 });
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

  useEffect(() => {
    if (actionData?.error) alertRef.current?.focus();
  }, [actionData]);

  return (
    <div className="staff-login">
      <h1>職員サインイン</h1>
      <p>意見の受付・対応を行う職員用の画面です。市民の方は<a href="/">トップページ</a>からご意見をお寄せください。</p>
      {signedOut && !actionData ? (
        <div className="notice" role="status">
          サインアウトしました。
        </div>
      ) : null}
      {factorEnded && !actionData ? (
        <div className="alert" role="alert">
          確認コードの誤りが続いたため、サインインを中断しました。パスワードからやり直してください。
        </div>
      ) : null}
      {actionData?.error ? (
        <div className="alert" role="alert" id="login-error" tabIndex={-1} ref={alertRef}>
          {actionData.error}
        </div>
      ) : null}
      <Form method="post" noValidate aria-describedby={actionData?.error ? 'login-error' : undefined}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="field">
          <label htmlFor="login-email">メールアドレス</label>
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
          <label htmlFor="login-password">パスワード</label>
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
          {busy ? 'サインインしています…' : 'サインイン'}
        </button>
      </Form>
      <p className="hint">パスワードを忘れた場合は、管理者に再発行を依頼してください。同じ端末から5回続けて間違えると、その端末からは15分間サインインできません。同じアカウントで失敗が続くと、次に試せるまでの待ち時間が少しずつ長くなります。</p>
    </div>
  );
}
