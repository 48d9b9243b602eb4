import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { NewUserForm } from '~/components/new-user-form';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { ADMIN_MESSAGE_VALUES, formMessage, formMessages } from '~/schemas/admin-messages';
import { ROLE_VALUES, userActionSchema } from '~/schemas/staff-admin';
import { createUser, getUserById, listUsers, resetUserPassword, setUserActive, updateUserRole } from '~/models/users.server';
import { countSessionsByUser } from '~/models/sessions.server';
import { resetTwoFactor } from '~/models/two-factor.server';
import { getEnv } from '~/utils/env.server';
import { getDb } from '~/server/db.server';
import { parseForm, type FieldErrors, type FormValues } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';
import { generatePassword } from '~/utils/password.server';
import { requireUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request, 'admin');
  const db = getDb();
  const sessions = await countSessionsByUser(db);
  const users = (await listUsers(db)).map((u) => ({ ...u, sessionCount: sessions.get(u.id)?.count ?? 0, sessionLastSeenAt: sessions.get(u.id)?.lastSeenAt ?? null }));
  const { t } = await getRequestT(request, 'admin');
  return { title: t('users.meta'), users, meId: me.id };
}

type ActionResult =
  | { ok: true; message: string; credentials?: { email: string; password: string } }
  | { ok: false; message: string; errors?: FieldErrors; values?: FormValues };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const db = getDb();
  const { t } = await getRequestT(request, 'admin');
  const form = await parseForm(request, userActionSchema);
  // Only the new-user form shows field errors and what was typed; the row forms answer with one message.
  const typedIntoCreate = form.values.intent === 'create' ? form.values : undefined;
  if (!form.success) {
    return data<ActionResult>(
      typedIntoCreate
        ? { ok: false, message: t('checkInput'), errors: formMessages(t, form.errors), values: typedIntoCreate }
        : { ok: false, message: form.formError ? formMessage(t, form.formError) : t('checkInput') },
      { status: 400 },
    );
  }
  const input = form.data;
  try {
    switch (input.intent) {
      case 'create': {
        const password = generatePassword();
        const user = await createUser(db, { email: input.email, displayName: input.displayName, role: input.role, password, mustChangePassword: true }, { actor });
        return { ok: true, message: t('users.created', { name: user.displayName }), credentials: { email: user.email, password } } satisfies ActionResult;
      }
      case 'role': {
        const user = await updateUserRole(db, actor, input.userId, input.role);
        return { ok: true, message: t('users.roleChanged', { name: user.displayName, role: t(`roles.${user.role}`) }) } satisfies ActionResult;
      }
      case 'deactivate':
      case 'reactivate': {
        const user = await setUserActive(db, actor, input.userId, input.intent === 'reactivate');
        return {
          ok: true,
          message:
            input.intent === 'reactivate' ? t('users.reactivated', { name: user.displayName }) : t('users.deactivated', { name: user.displayName }),
        } satisfies ActionResult;
      }
      case 'reset': {
        const credentials = await resetUserPassword(db, actor, input.userId);
        return { ok: true, message: t('users.passwordReset'), credentials } satisfies ActionResult;
      }
      case 'reset-2fa': {
        const user = await getUserById(db, input.userId);
        if (!user) throw new UserError(t('users.notFound'), 404);
        await resetTwoFactor(db, actor, user.id, getEnv().PUBLIC_URL);
        return { ok: true, message: t('users.twoFactorReset', { name: user.displayName }) } satisfies ActionResult;
      }
    }
  } catch (error) {
    if (error instanceof UserError) return data<ActionResult>({ ok: false, message: error.describe(t, ADMIN_MESSAGE_VALUES), values: typedIntoCreate }, { status: error.status });
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
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];

  useEffect(() => {
    if (result) messageRef.current?.focus();
  }, [result]);

  return (
    <div>
      <h1>{t('users.heading')}</h1>
      {result ? (
        <div ref={messageRef} tabIndex={-1} className={result.ok ? 'notice' : 'alert'} role={result.ok ? 'status' : 'alert'}>
          <p>{result.message}</p>
          {result.ok && result.credentials ? (
            <>
              <dl className="credentials">
                <dt>{t('users.email')}</dt>
                <dd>
                  <code>{result.credentials.email}</code>
                </dd>
                <dt>{t('users.password')}</dt>
                <dd>
                  <code>{result.credentials.password}</code>
                </dd>
              </dl>
              <p>{t('users.shownOnce')}</p>
            </>
          ) : null}
        </div>
      ) : null}

      <h2>{t('users.list')}</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.email')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.columns.state')}</th>
              <th scope="col">{t('users.columns.lastLogin')}</th>
              <th scope="col">{t('users.columns.twoFactor')}</th>
              <th scope="col">{t('users.columns.sessions')}</th>
              <th scope="col">{t('users.columns.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  {u.displayName}
                  {u.id === meId ? t('users.you') : ''}
                </th>
                <td>{u.email}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="userId" value={u.id} />
                    <label htmlFor={`role-${u.id}`} className="visually-hidden">
                      {t('users.roleOf', { name: u.displayName })}
                    </label>
                    <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                      {ROLE_VALUES.map((r) => (
                        <option key={r} value={r}>
                          {t(`roles.${r}`)}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button--secondary" aria-label={t('users.changeRoleOf', { name: u.displayName })}>
                      {t('users.changeRole')}
                    </button>
                  </Form>
                </td>
                <td>{u.active ? t('users.active') : t('users.inactive')}</td>
                <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : '—'}</td>
                <td>
                  {u.twoFactorEnabled ? t('users.twoFactorOn') : t('users.twoFactorOff')}
                  {u.twoFactorEnabled ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="reset-2fa" />
                      <input type="hidden" name="userId" value={u.id} />
                      <button type="submit" className="button--secondary" aria-label={t('users.resetTwoFactorOf', { name: u.displayName })}>
                        {t('users.resetTwoFactor')}
                      </button>
                    </Form>
                  ) : null}
                </td>
                <td>
                  <Link to={`/staff/users/${u.id}`} aria-label={t('users.sessionsOf', { name: u.displayName, count: u.sessionCount })}>
                    {t('users.sessionCount', { count: u.sessionCount })}
                  </Link>
                  {u.sessionLastSeenAt ? t('users.sessionLastSeen', { at: formatDateTime(u.sessionLastSeenAt, locale) }) : ''}
                </td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value={u.active ? 'deactivate' : 'reactivate'} />
                    <input type="hidden" name="userId" value={u.id} />
                    <button type="submit" className="button--secondary" aria-label={t(u.active ? 'users.deactivateOf' : 'users.reactivateOf', { name: u.displayName })}>
                      {u.active ? t('users.deactivate') : t('users.reactivate')}
                    </button>
                  </Form>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="reset" />
                    <input type="hidden" name="userId" value={u.id} />
                    <button type="submit" className="button--secondary" aria-label={t('users.resetPasswordOf', { name: u.displayName })}>
                      {t('users.resetPassword')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">{t('users.noDelete')}</p>

      <NewUserForm errors={errors} values={values} creating={creating} />
    </div>
  );
}
