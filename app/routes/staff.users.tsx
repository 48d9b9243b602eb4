import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { NewUserForm } from '~/components/new-user-form';
import { useEffect, useRef } from 'react';
import { ROLE_VALUES, userActionSchema } from '~/schemas/staff-admin';
import { createUser, getUserById, listUsers, resetUserPassword, setUserActive, updateUserRole } from '~/models/users.server';
import { countSessionsByUser } from '~/models/sessions.server';
import { resetTwoFactor } from '~/models/two-factor.server';
import { getEnv } from '~/utils/env.server';
import { getDb } from '~/server/db.server';
import { parseForm, type FieldErrors, type FormValues } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';
import { ROLE_LABELS } from '~/domain/labels';
import { generatePassword } from '~/utils/password.server';
import { requireUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';

export const meta: MetaFunction = () => [{ title: '利用者の管理 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request, 'admin');
  const db = getDb();
  const sessions = await countSessionsByUser(db);
  const users = (await listUsers(db)).map((u) => ({ ...u, sessionCount: sessions.get(u.id)?.count ?? 0, sessionLastSeenAt: sessions.get(u.id)?.lastSeenAt ?? null }));
  return { users, meId: me.id };
}

type ActionResult =
  | { ok: true; message: string; credentials?: { email: string; password: string } }
  | { ok: false; message: string; errors?: FieldErrors; values?: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const db = getDb();
  const form = await parseForm(request, userActionSchema);
  // Only the new-user form shows field errors and what was typed; the row forms answer with one message.
  const typedIntoCreate = form.values.intent === 'create' ? form.values : undefined;
  if (!form.success) {
    return data<ActionResult>(
      typedIntoCreate
        ? { ok: false, message: '入力内容を確認してください。', errors: form.errors, values: typedIntoCreate }
        : { ok: false, message: form.formError ?? '入力内容を確認してください。' },
      { status: 400 },
    );
  }
  const input = form.data;
  try {
    switch (input.intent) {
      case 'create': {
        const password = generatePassword();
        const user = await createUser(db, { email: input.email, displayName: input.displayName, role: input.role, password, mustChangePassword: true }, { actor });
        return { ok: true, message: `${user.displayName}さんのアカウントを作成しました。`, credentials: { email: user.email, password } } satisfies ActionResult;
      }
      case 'role': {
        const user = await updateUserRole(db, actor, input.userId, input.role);
        return { ok: true, message: `${user.displayName}さんの権限を「${ROLE_LABELS[user.role]}」にしました。` } satisfies ActionResult;
      }
      case 'deactivate':
      case 'reactivate': {
        const user = await setUserActive(db, actor, input.userId, input.intent === 'reactivate');
        return {
          ok: true,
          message:
            input.intent === 'reactivate'
              ? `${user.displayName}さんのアカウントを再開しました。`
              : `${user.displayName}さんのアカウントを停止しました。サインイン中の画面も使えなくなります。`,
        } satisfies ActionResult;
      }
      case 'reset': {
        const credentials = await resetUserPassword(db, actor, input.userId);
        return { ok: true, message: 'パスワードを再発行しました。次のサインインで本人が変更します。', credentials } satisfies ActionResult;
      }
      case 'reset-2fa': {
        const user = await getUserById(db, input.userId);
        if (!user) throw new UserError('この利用者は見つかりません。', 404);
        await resetTwoFactor(db, actor, user.id, getEnv().PUBLIC_URL);
        return { ok: true, message: `${user.displayName}さんの二段階認証を解除しました。次のサインインで設定し直します。` } satisfies ActionResult;
      }
    }
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, message: error.message, values: typedIntoCreate }, { status: error.status });
    throw error;
  }
}

export default function StaffUsers() {
  const { users, meId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const messageRef = useRef<HTMLDivElement>(null);
  const creating = useIsPending({ intent: 'create' });
  const errors: FieldErrors = result && !result.ok ? (result.errors ?? {}) : {};
  const values = result && !result.ok ? result.values : undefined;

  useEffect(() => {
    if (result) messageRef.current?.focus();
  }, [result]);

  return (
    <div>
      <h1>利用者の管理</h1>
      {result ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          <p>{result.message}</p>
          {result.ok && result.credentials ? (
            <>
              <dl className="credentials">
                <dt>メールアドレス</dt>
                <dd>
                  <code>{result.credentials.email}</code>
                </dd>
                <dt>パスワード</dt>
                <dd>
                  <code>{result.credentials.password}</code>
                </dd>
              </dl>
              <p>このパスワードは今回だけ表示されます。本人に安全な方法で伝えてください。</p>
            </>
          ) : null}
        </div>
      ) : null}

      <h2>利用者一覧</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">表示名</th>
              <th scope="col">メールアドレス</th>
              <th scope="col">権限</th>
              <th scope="col">状態</th>
              <th scope="col">最終サインイン</th>
              <th scope="col">二段階認証</th>
              <th scope="col">セッション</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  {u.displayName}
                  {u.id === meId ? '（あなた）' : ''}
                </th>
                <td>{u.email}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="userId" value={u.id} />
                    <label htmlFor={`role-${u.id}`} className="visually-hidden">
                      {u.displayName}さんの権限
                    </label>
                    <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                      {ROLE_VALUES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button--secondary" aria-label={`${u.displayName}さんの権限を変更`}>
                      変更
                    </button>
                  </Form>
                </td>
                <td>{u.active ? '有効' : '停止中'}</td>
                <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : '—'}</td>
                <td>
                  {u.twoFactorEnabled ? '設定済み' : '未設定'}
                  {u.twoFactorEnabled ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="reset-2fa" />
                      <input type="hidden" name="userId" value={u.id} />
                      <button type="submit" className="button--secondary" aria-label={`${u.displayName}さんの二段階認証を解除`}>
                        解除
                      </button>
                    </Form>
                  ) : null}
                </td>
                <td>
                  <Link to={`/staff/users/${u.id}`} aria-label={`${u.displayName}さんのセッション(${u.sessionCount}件)`}>
                    {u.sessionCount}件
                  </Link>
                  {u.sessionLastSeenAt ? `(最終 ${formatDateTime(u.sessionLastSeenAt)})` : ''}
                </td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value={u.active ? 'deactivate' : 'reactivate'} />
                    <input type="hidden" name="userId" value={u.id} />
                    <button type="submit" className="button--secondary" aria-label={`${u.displayName}さんを${u.active ? '停止' : '再開'}する`}>
                      {u.active ? '停止する' : '再開する'}
                    </button>
                  </Form>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="reset" />
                    <input type="hidden" name="userId" value={u.id} />
                    <button type="submit" className="button--secondary" aria-label={`${u.displayName}さんのパスワードを再発行`}>
                      パスワード再発行
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">記録が残るため、利用者は削除できません。異動・退職した人は「停止する」を使ってください。</p>

      <NewUserForm errors={errors} values={values} creating={creating} />
    </div>
  );
}
