// /staff/api-tokens — admins create a token per integration (shown once),
// see when each was last used, and revoke it after a confirmation step that
// works without JavaScript (?revoke=<id> shows the question).
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { API_TOKEN_LIMITS, apiTokenActionSchema } from '~/schemas/api-tokens';
import { createApiToken, listApiTokens, revokeApiToken } from '~/models/api-tokens.server';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, type FieldErrors, type FormValues } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';

const PAGE = '/staff/api-tokens';
const SCOPE_LABELS = { read: 'read(参照のみ)', write: 'write(登録と参照)' } as const;

export const meta: MetaFunction = () => [{ title: 'APIトークン | 意見箱' }, { name: 'robots', content: 'noindex' }];

// The answer to a create carries the only copy of the token.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const tokens = await listApiTokens(getDb());
  const revokeParam = new URL(request.url).searchParams.get('revoke');
  const confirming = tokens.find((t) => String(t.id) === revokeParam && t.revokedAt === null) ?? null;
  return { tokens, confirming };
}

type ActionResult =
  | { ok: true; message: string; created?: { name: string; scope: 'read' | 'write'; prefix: string; secret: string } }
  | { ok: false; message: string; errors: FieldErrors; values: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const parsed = await parseForm(request, apiTokenActionSchema);
  if (!parsed.success) {
    return data<ActionResult>({ ok: false, message: parsed.formError ?? '入力内容を確認してください。', errors: parsed.errors, values: parsed.values }, { status: 400 });
  }
  const db = getDb();
  const input = parsed.data;
  if (input.intent === 'create') {
    const { token, secret } = await createApiToken(db, { actor }, input);
    return { ok: true, message: `「${token.name}」のトークンを作成しました。`, created: { name: token.name, scope: token.scope, prefix: token.prefix, secret } } satisfies ActionResult;
  }
  try {
    const token = await revokeApiToken(db, { actor }, input.tokenId);
    return { ok: true, message: `「${token.name}」(${token.prefix}…)を失効させました。このトークンでの呼び出しは、今後すべて拒否されます。` } satisfies ActionResult;
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, message: error.message, errors: {}, values: parsed.values }, { status: error.status });
    throw error;
  }
}

export default function StaffApiTokens() {
  const { tokens, confirming } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const creating = useIsPending({ formAction: PAGE, intent: 'create' });
  const messageRef = useRef<HTMLDivElement>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const failed = result && !result.ok ? result : undefined;
  const errors = failed && failed.values.intent === 'create' ? failed.errors : {};
  const values = failed && failed.values.intent === 'create' ? failed.values : undefined;

  useEffect(() => {
    if (result) messageRef.current?.focus();
    else if (confirming) confirmRef.current?.focus();
  }, [result, confirming]);

  const fieldProps = (name: string, hint?: string) => ({
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': [errors[name] ? `token-${name}-error` : null, hint ?? null].filter(Boolean).join(' ') || undefined,
  });
  const fieldError = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`token-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;

  return (
    <div>
      <h1>APIトークン</h1>
      <p>
        ホットラインなど他の受付システムが意見を登録するためのトークンです。連携先ごとに作成してください。使い方は
        <a href="/api/v1/openapi.json">API の説明(OpenAPI)</a>にあります。
      </p>

      {result ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          <p>{result.message}</p>
          {result.ok && result.created ? (
            <>
              <dl className="credentials">
                <dt>連携先</dt>
                <dd>{result.created.name}</dd>
                <dt>権限</dt>
                <dd>{SCOPE_LABELS[result.created.scope]}</dd>
                <dt>トークン</dt>
                <dd>
                  <code>{result.created.secret}</code>
                </dd>
              </dl>
              <p>このトークンは今回だけ表示されます。連携先の設定に安全な方法で渡してください。なくした場合は失効させて作り直してください。</p>
            </>
          ) : null}
        </div>
      ) : null}

      {confirming ? (
        <section className="alert" aria-labelledby="revoke-title">
          <h2 id="revoke-title" ref={confirmRef} tabIndex={-1}>
            「{confirming.name}」のトークンを失効させますか?
          </h2>
          <p>
            <code>{confirming.prefix}…</code> で始まるトークンは、失効させるとすぐに使えなくなり、元に戻せません。
          </p>
          <Form method="post" action={PAGE} className="inline-form">
            <input type="hidden" name="intent" value="revoke" />
            <input type="hidden" name="tokenId" value={confirming.id} />
            <button type="submit">失効させる</button>
          </Form>{' '}
          <Link to={PAGE}>やめる</Link>
        </section>
      ) : null}

      <h2>トークン一覧</h2>
      {tokens.length === 0 ? (
        <p>まだトークンはありません。下のフォームから作成してください。</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">連携先</th>
                <th scope="col">権限</th>
                <th scope="col">トークンの先頭</th>
                <th scope="col">上限(1分)</th>
                <th scope="col">作成</th>
                <th scope="col">最終利用</th>
                <th scope="col">状態</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{SCOPE_LABELS[t.scope]}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{t.rateLimitPerMinute}回</td>
                  <td>
                    {formatDateTime(t.createdAt)}
                    {t.createdBy ? `(${t.createdBy})` : '(コマンド)'}
                  </td>
                  <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : '未使用'}</td>
                  <td>{t.revokedAt ? `失効(${formatDateTime(t.revokedAt)})` : '有効'}</td>
                  <td>
                    {t.revokedAt ? (
                      '—'
                    ) : (
                      <Link to={`${PAGE}?revoke=${t.id}`} aria-label={`「${t.name}」のトークンを失効させる`}>
                        失効させる…
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="new-token">トークンを作成</h2>
      {/* A new key after each created token empties the form (it keeps its values otherwise, with JavaScript). */}
      <Form key={result?.ok && result.created ? result.created.prefix : 'new'} method="post" action={PAGE} noValidate aria-labelledby="new-token">
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor="token-name">連携先の名前</label>
          <input id="token-name" type="text" name="name" required maxLength={API_TOKEN_LIMITS.nameMax} defaultValue={values?.name} {...fieldProps('name', 'token-name-hint')} />
          <p className="hint" id="token-name-hint">
            例: 12345ホットライン、郵便受付システム
          </p>
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor="token-scope">権限</label>
          <select id="token-scope" name="scope" defaultValue={values?.scope ?? 'write'} {...fieldProps('scope', 'token-scope-hint')}>
            <option value="write">{SCOPE_LABELS.write}</option>
            <option value="read">{SCOPE_LABELS.read}</option>
          </select>
          <p className="hint" id="token-scope-hint">
            write は意見の登録と状況の参照、read は参照だけができます。
          </p>
          {fieldError('scope')}
        </div>
        <div className="field">
          <label htmlFor="token-rate">1分あたりの呼び出し上限</label>
          <input
            id="token-rate"
            type="text"
            inputMode="numeric"
            name="rateLimitPerMinute"
            defaultValue={values?.rateLimitPerMinute ?? String(API_TOKEN_LIMITS.rateDefault)}
            {...fieldProps('rateLimitPerMinute', 'token-rate-hint')}
          />
          <p className="hint" id="token-rate-hint">
            {API_TOKEN_LIMITS.rateMin}〜{API_TOKEN_LIMITS.rateMax}回。超えた呼び出しは 429 で断られます。
          </p>
          {fieldError('rateLimitPerMinute')}
        </div>
        <button type="submit" disabled={creating}>
          トークンを作成する
        </button>
      </Form>
    </div>
  );
}
