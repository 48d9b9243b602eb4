// The person's own sessions: where they are signed in, and a way to end them.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { endSessions, listUserSessions } from '~/models/sessions.server';
import { SessionActionSchema } from '~/schemas/account';
import { getDb } from '~/server/db.server';
import { currentSessionKey, requireUser } from '~/server/session.server';
import { parseForm } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { describeAgent, type AgentWords } from '~/utils/user-agent';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const current = await currentSessionKey(request);
  const sessions = await listUserSessions(getDb(), user.id);
  const { t } = await getRequestT(request, 'admin');
  return {
    title: t('sessions.meta'),
    sessions: sessions.map((s, i) => ({
      // The index is what the page shows; the digest stays on the server side of the form.
      id: s.key,
      no: i + 1,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      agent: describeAgent(s.userAgent, t('sessions.agent', { returnObjects: true }) as AgentWords),
      current: s.key === current,
      pending: s.pendingSecondFactor,
    })),
    ended: new URL(request.url).searchParams.get('ended'),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await parseForm(request, SessionActionSchema);
  if (!form.success) return data({ error: (await getRequestT(request, 'admin')).t('validation.intentInvalid') }, { status: 400 });
  const current = await currentSessionKey(request);
  const db = getDb();
  const ended =
    form.data.intent === 'end'
      ? await endSessions(db, user, user.id, { key: form.data.session })
      : await endSessions(db, user, user.id, { keep: current ?? undefined });
  if (form.data.intent === 'end' && form.data.session === current) throw redirect('/staff/login?signedOut=1');
  throw redirect(`/staff/account/sessions?ended=${ended}`);
}

export default function AccountSessions() {
  const { sessions, ended } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
  return (
    <>
      <h1>{t('sessions.heading')}</h1>
      {ended !== null ? (
        <div className="notice" role="status">
          {t('sessions.ended', { count: Number(ended) })}
        </div>
      ) : null}
      <p>{t('sessions.intro')}</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('sessions.columns.device')}</th>
              <th scope="col">{t('sessions.columns.signedIn')}</th>
              <th scope="col">{t('sessions.columns.lastSeen')}</th>
              <th scope="col">{t('sessions.columns.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  {s.agent}
                  {s.current ? t('sessions.current') : ''}
                  {s.pending ? t('sessions.pending') : ''}
                </th>
                <td>{formatDateTime(s.createdAt, locale)}</td>
                <td>{formatDateTime(s.lastSeenAt, locale)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="end" />
                    <input type="hidden" name="session" value={s.id} />
                    <button type="submit" className="button--secondary" aria-label={t('sessions.endOne', { no: s.no, agent: s.agent })}>
                      {t('sessions.end')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Form method="post">
        <input type="hidden" name="intent" value="end-others" />
        <button type="submit">{t('sessions.endOthers')}</button>
      </Form>
    </>
  );
}
