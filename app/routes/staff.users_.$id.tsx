// /staff/users/:id — one account's sessions, for admins: where the person is
// signed in (signed in at, last seen, browser), each of which can be ended,
// or all at once. Every end is audited (auth.session_end), as on the person's
// own sessions page.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { SessionTable } from '~/components/session-table';
import { getRequestT } from '~/i18n/i18n.server';
import { formMessage } from '~/schemas/admin-messages';
import { endSessions, listSessionRows } from '~/models/sessions.server';
import { getUserById } from '~/models/users.server';
import { userSessionActionSchema } from '~/schemas/staff-admin';
import { getDb } from '~/server/db.server';
import { currentSessionKey, requireUser } from '~/server/session.server';
import { parseForm, requireId } from '~/utils/form.server';
import type { AgentWords } from '~/utils/user-agent';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title }, { name: 'robots', content: 'noindex' }];

async function requireAccount(t: TFunction, params: LoaderFunctionArgs['params']) {
  const user = await getUserById(getDb(), requireId(params, 'id', t('users.notFound')));
  if (!user) throw new Response(t('users.notFound'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const { t } = await getRequestT(request, 'admin');
  const user = await requireAccount(t, params);
  const sessions = await listSessionRows(getDb(), user.id, await currentSessionKey(request), t('sessions.agent', { returnObjects: true }) as AgentWords);
  const ended = new URL(request.url).searchParams.get('ended');
  return {
    title: t('userSessions.meta', { name: user.displayName }),
    user: { id: user.id, displayName: user.displayName, email: user.email, role: user.role, active: user.active },
    sessions,
    ended: ended !== null && /^\d+$/.test(ended) ? Number(ended) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const { t } = await getRequestT(request, 'admin');
  const user = await requireAccount(t, params);
  const form = await parseForm(request, userSessionActionSchema);
  if (!form.success) return data({ error: formMessage(t, form.formError ?? 'admin:validation.intentInvalid') }, { status: 400 });
  const current = await currentSessionKey(request);
  const db = getDb();
  const ended = await endSessions(db, actor, user.id, form.data.intent === 'end' ? { key: form.data.session } : {});
  // An admin who ended the session they are using is signed out with it.
  const endedOwn = user.id === actor.id && (form.data.intent === 'end-all' || form.data.session === current);
  if (endedOwn && ended > 0) throw redirect('/staff/login?signedOut=1');
  throw redirect(`/staff/users/${user.id}?ended=${ended}`);
}

export default function StaffUserSessions() {
  const { user, sessions, ended } = useLoaderData<typeof loader>();
  const { t } = useTranslation('admin');
  return (
    <>
      <p className="back-link">
        <Link to="/staff/users">{t('userSessions.back')}</Link>
      </p>
      <h1>{t('userSessions.heading', { name: user.displayName })}</h1>
      {ended !== null ? (
        <div className="notice" role="status">
          {ended > 0 ? t('sessions.ended', { count: ended }) : t('userSessions.alreadyEnded')}
        </div>
      ) : null}
      <p>
        {t(user.active ? 'userSessions.intro' : 'userSessions.introInactive', { email: user.email, role: t(`roles.${user.role}`) })}
      </p>
      {sessions.length === 0 ? (
        <p>{t('userSessions.none')}</p>
      ) : (
        <>
          <SessionTable sessions={sessions} currentLabel={t('userSessions.yourDevice')} />
          <Form method="post">
            <input type="hidden" name="intent" value="end-all" />
            <button type="submit">{t('userSessions.endAll', { name: user.displayName })}</button>
          </Form>
        </>
      )}
    </>
  );
}
