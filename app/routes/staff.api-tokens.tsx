// /staff/api-tokens — admins create a token per integration (shown once),
// see when each was last used, and revoke it after a confirmation step that
// works without JavaScript (?revoke=<id> shows the question).
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { ADMIN_MESSAGE_VALUES, formMessage, formMessages } from '~/schemas/admin-messages';
import { API_TOKEN_LIMITS, apiTokenActionSchema } from '~/schemas/api-tokens';
import { createApiToken, listApiTokens, revokeApiToken } from '~/models/api-tokens.server';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, type FieldErrors, type FormValues } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';

const PAGE = '/staff/api-tokens';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

// The answer to a create carries the only copy of the token.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const tokens = await listApiTokens(getDb());
  const revokeParam = new URL(request.url).searchParams.get('revoke');
  const confirming = tokens.find((token) => String(token.id) === revokeParam && token.revokedAt === null) ?? null;
  const { t } = await getRequestT(request, 'admin');
  return { title: t('apiTokens.meta'), tokens, confirming };
}

type ActionResult =
  | { ok: true; message: string; created?: { name: string; scope: 'read' | 'write'; prefix: string; secret: string } }
  | { ok: false; message: string; errors: FieldErrors; values: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const { t } = await getRequestT(request, 'admin');
  const parsed = await parseForm(request, apiTokenActionSchema);
  if (!parsed.success) {
    return data<ActionResult>(
      { ok: false, message: parsed.formError ? formMessage(t, parsed.formError) : t('checkInput'), errors: formMessages(t, parsed.errors), values: parsed.values },
      { status: 400 },
    );
  }
  const db = getDb();
  const input = parsed.data;
  if (input.intent === 'create') {
    const { token, secret } = await createApiToken(db, { actor }, input);
    return { ok: true, message: t('apiTokens.created', { name: token.name }), created: { name: token.name, scope: token.scope, prefix: token.prefix, secret } } satisfies ActionResult;
  }
  try {
    const token = await revokeApiToken(db, { actor }, input.tokenId);
    return { ok: true, message: t('apiTokens.revoked', { name: token.name, prefix: token.prefix }) } satisfies ActionResult;
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, message: error.describe(t, ADMIN_MESSAGE_VALUES), errors: {}, values: parsed.values }, { status: error.status });
    throw error;
  }
}

export default function StaffApiTokens() {
  const { tokens, confirming } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const creating = useIsPending({ formAction: PAGE, intent: 'create' });
  const messageRef = useRef<HTMLDivElement>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
  const scopeLabel = (scope: 'read' | 'write') => t(`apiTokens.scope.${scope}`);
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
      <h1>{t('apiTokens.heading')}</h1>
      <p>
        <Trans t={t} i18nKey="apiTokens.intro" components={{ doc: <a href="/api/v1/openapi.json" /> }} />
      </p>

      {result ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          <p>{result.message}</p>
          {result.ok && result.created ? (
            <>
              <dl className="credentials">
                <dt>{t('apiTokens.name')}</dt>
                <dd>{result.created.name}</dd>
                <dt>{t('apiTokens.scopeLabel')}</dt>
                <dd>{scopeLabel(result.created.scope)}</dd>
                <dt>{t('apiTokens.token')}</dt>
                <dd>
                  <code>{result.created.secret}</code>
                </dd>
              </dl>
              <p>{t('apiTokens.shownOnce')}</p>
            </>
          ) : null}
        </div>
      ) : null}

      {confirming ? (
        <section className="alert" aria-labelledby="revoke-title">
          <h2 id="revoke-title" ref={confirmRef} tabIndex={-1}>
            {t('apiTokens.confirm.heading', { name: confirming.name })}
          </h2>
          <p>
            <Trans t={t} i18nKey="apiTokens.confirm.body" values={{ prefix: confirming.prefix }} components={{ code: <code /> }} />
          </p>
          <Form method="post" action={PAGE} className="inline-form">
            <input type="hidden" name="intent" value="revoke" />
            <input type="hidden" name="tokenId" value={confirming.id} />
            <button type="submit">{t('apiTokens.confirm.revoke')}</button>
          </Form>{' '}
          <Link to={PAGE}>{t('apiTokens.confirm.cancel')}</Link>
        </section>
      ) : null}

      <h2>{t('apiTokens.list')}</h2>
      {tokens.length === 0 ? (
        <p>{t('apiTokens.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('apiTokens.columns.name')}</th>
                <th scope="col">{t('apiTokens.columns.scope')}</th>
                <th scope="col">{t('apiTokens.columns.prefix')}</th>
                <th scope="col">{t('apiTokens.columns.rate')}</th>
                <th scope="col">{t('apiTokens.columns.created')}</th>
                <th scope="col">{t('apiTokens.columns.lastUsed')}</th>
                <th scope="col">{t('apiTokens.columns.state')}</th>
                <th scope="col">{t('apiTokens.columns.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>{scopeLabel(token.scope)}</td>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{t('apiTokens.perMinute', { count: token.rateLimitPerMinute })}</td>
                  <td>
                    {formatDateTime(token.createdAt, locale)}
                    {token.createdBy ? t('apiTokens.createdBy', { name: token.createdBy }) : t('apiTokens.createdByCommand')}
                  </td>
                  <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt, locale) : t('apiTokens.unused')}</td>
                  <td>{token.revokedAt ? t('apiTokens.revokedAt', { at: formatDateTime(token.revokedAt, locale) }) : t('apiTokens.active')}</td>
                  <td>
                    {token.revokedAt ? (
                      '—'
                    ) : (
                      <Link to={`${PAGE}?revoke=${token.id}`} aria-label={t('apiTokens.revokeLabel', { name: token.name })}>
                        {t('apiTokens.revokeLink')}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="new-token">{t('apiTokens.create')}</h2>
      {/* A new key after each created token empties the form (it keeps its values otherwise, with JavaScript). */}
      <Form key={result?.ok && result.created ? result.created.prefix : 'new'} method="post" action={PAGE} noValidate aria-labelledby="new-token">
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor="token-name">{t('apiTokens.nameLabel')}</label>
          <input id="token-name" type="text" name="name" required maxLength={API_TOKEN_LIMITS.nameMax} defaultValue={values?.name} {...fieldProps('name', 'token-name-hint')} />
          <p className="hint" id="token-name-hint">
            {t('apiTokens.nameHint')}
          </p>
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor="token-scope">{t('apiTokens.scopeLabel')}</label>
          <select id="token-scope" name="scope" defaultValue={values?.scope ?? 'write'} {...fieldProps('scope', 'token-scope-hint')}>
            <option value="write">{scopeLabel('write')}</option>
            <option value="read">{scopeLabel('read')}</option>
          </select>
          <p className="hint" id="token-scope-hint">
            {t('apiTokens.scopeHint')}
          </p>
          {fieldError('scope')}
        </div>
        <div className="field">
          <label htmlFor="token-rate">{t('apiTokens.rateLabel')}</label>
          <input
            id="token-rate"
            type="text"
            inputMode="numeric"
            name="rateLimitPerMinute"
            defaultValue={values?.rateLimitPerMinute ?? String(API_TOKEN_LIMITS.rateDefault)}
            {...fieldProps('rateLimitPerMinute', 'token-rate-hint')}
          />
          <p className="hint" id="token-rate-hint">
            {t('apiTokens.rateHint', { rateMin: API_TOKEN_LIMITS.rateMin, rateMax: API_TOKEN_LIMITS.rateMax })}
          </p>
          {fieldError('rateLimitPerMinute')}
        </div>
        <button type="submit" disabled={creating}>
          {t('apiTokens.createSubmit')}
        </button>
      </Form>
    </div>
  );
}
