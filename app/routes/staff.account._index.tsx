import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { ROLE_LABELS } from '~/domain/labels';
import { getTwoFactorState } from '~/models/two-factor.server';
import { updateOwnName } from '~/models/users.server';
import { NameSchema } from '~/schemas/account';
import { STAFF_ADMIN_LIMITS } from '~/schemas/staff-admin';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';

export const meta: MetaFunction = () => [{ title: 'アカウント | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const twoFactor = await getTwoFactorState(getDb(), user.id);
  return { user: { email: user.email, displayName: user.displayName, role: user.role }, twoFactor };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await parseForm(request, NameSchema);
  if (!form.success) return data({ ok: false as const, error: form.errors.displayName ?? '入力内容を確認してください。', value: form.values.displayName ?? '' }, { status: 400 });
  await updateOwnName(getDb(), user, form.data.displayName);
  return { ok: true as const, message: '表示名を変更しました。' };
}

export default function AccountOverview() {
  const { user, twoFactor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useIsPending();
  const statusRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (result?.ok) statusRef.current?.focus();
    else if (result) inputRef.current?.focus();
  }, [result]);

  return (
    <>
      <h1>アカウント</h1>
      {result?.ok ? (
        <div className="notice" role="status" tabIndex={-1} ref={statusRef}>
          {result.message}
        </div>
      ) : null}
      <dl className="facts">
        <dt>メールアドレス</dt>
        <dd>{user.email}</dd>
        <dt>権限</dt>
        <dd>{ROLE_LABELS[user.role]}</dd>
        <dt>二段階認証</dt>
        <dd>
          {twoFactor.enabled ? `設定済み(未使用の回復コード ${twoFactor.unusedRecoveryCodes}個)` : '未設定'} — <Link to="/staff/account/2fa">二段階認証の設定</Link>
        </dd>
      </dl>
      <h2>表示名</h2>
      <Form method="post" noValidate>
        <div className="field">
          <label htmlFor="account-name">表示名</label>
          <input
            id="account-name"
            name="displayName"
            ref={inputRef}
            maxLength={STAFF_ADMIN_LIMITS.displayNameMax}
            defaultValue={result && !result.ok ? result.value : user.displayName}
            aria-invalid={result && !result.ok ? true : undefined}
            aria-describedby={result && !result.ok ? 'account-name-error' : undefined}
          />
          {result && !result.ok ? (
            <p className="field-error" id="account-name-error">
              {result.error}
            </p>
          ) : null}
        </div>
        <button type="submit" aria-disabled={busy || undefined}>
          表示名を保存
        </button>
      </Form>
      <p>
        <Link to="/staff/account/password">パスワードを変更する</Link>
      </p>
    </>
  );
}
