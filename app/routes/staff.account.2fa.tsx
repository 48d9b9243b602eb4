// Enrolling a second factor: a QR code (server-rendered SVG, no JavaScript
// needed) and the secret as text, confirmed by a current code; then ten
// recovery codes, shown once.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { EnrolSchema } from '~/schemas/account';
import { confirmEnrolment, getOrStartEnrolment, getTwoFactorState, renewRecoveryCodes } from '~/models/two-factor.server';
import { enrolmentPicture, groupSecret } from '~/models/totp.server';
import { getDb } from '~/server/db.server';
import { requireUser, twoFactorRequired } from '~/server/session.server';
import { getEnv } from '~/utils/env.server';
import { formatDateTime } from '~/utils/local-time';
import { parseForm } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';

export const meta: MetaFunction = () => [{ title: '二段階認証 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const state = await getTwoFactorState(db, user.id);
  const secret = await getOrStartEnrolment(db, user.id);
  const picture = secret ? await enrolmentPicture(user.email, secret) : null;
  return {
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
  const form = await parseForm(request, EnrolSchema);
  if (!form.success) return data({ codes: null, error: form.errors.code ?? '確認コードを入力してください。' }, { status: 400 });
  const codes = await confirmEnrolment(db, user, form.data.code, getEnv().PUBLIC_URL);
  if (!codes) return data({ codes: null, error: '確認コードが正しくありません。認証アプリに表示されている最新のコードを入力してください。' }, { status: 400 });
  return { codes, error: null };
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="notice" role="status" tabIndex={-1} ref={ref}>
      <h2>回復コード</h2>
      <p>スマートフォンをなくしたときに、確認コードの代わりに使えます。それぞれ1回だけ使えます。この画面を閉じると二度と表示されません。印刷するか、安全な場所に書き写してください。</p>
      <ul className="recovery-codes" aria-label="回復コード">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <a href="/staff">受付一覧へ進む</a>
      </p>
    </div>
  );
}

export default function TwoFactor() {
  const { state, required, enrolment } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useIsPending();
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (result?.error) inputRef.current?.focus();
  }, [result]);

  if (result?.codes) {
    return (
      <>
        <h1>二段階認証</h1>
        <p>二段階認証を設定しました。次回から、サインインの際に確認コードを入力します。</p>
        <RecoveryCodes codes={result.codes} />
      </>
    );
  }

  return (
    <>
      <h1>二段階認証</h1>
      {state.enabled ? (
        <>
          <p>
            二段階認証は設定済みです({state.enabledAt ? formatDateTime(state.enabledAt) : ''}に設定)。未使用の回復コードは{state.unusedRecoveryCodes}個です。
          </p>
          <p>スマートフォンを替えるときやなくしたときは、管理者に解除を依頼し、もう一度設定してください。</p>
          <Form method="post">
            <input type="hidden" name="intent" value="renew" />
            <button type="submit" className="button--secondary">
              回復コードを作り直す(これまでのコードは使えなくなります)
            </button>
          </Form>
        </>
      ) : enrolment ? (
        <>
          {required ? (
            <div className="alert" role="alert">
              あなたの権限では二段階認証が必要です。設定するまで、ほかの画面は使えません。
            </div>
          ) : null}
          <ol>
            <li>スマートフォンに認証アプリ(Google Authenticator、Microsoft Authenticator など)を用意します。</li>
            <li>
              アプリで次のQRコードを読み取ります。読み取れない場合は、下の「設定キー」を手で入力します。
              <figure className="totp-qr">
                <div role="img" aria-label="認証アプリに読み取らせるQRコード" dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }} />
                <figcaption>
                  設定キー: <code id="totp-secret">{enrolment.secret}</code>
                </figcaption>
              </figure>
            </li>
            <li>アプリに表示された6桁の確認コードを入力します。</li>
          </ol>
          <Form method="post" noValidate>
            <div className="field">
              <label htmlFor="enrol-code">確認コード(6桁)</label>
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
              {busy ? '確認しています…' : '設定する'}
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
