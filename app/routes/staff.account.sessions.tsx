// The person's own sessions: where they are signed in, and a way to end them.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SessionTable } from '~/components/session-table';
import { getRequestT } from '~/i18n/i18n.server';
import { endSessions, listSessionRows } from '~/models/sessions.server';
import { SessionActionSchema } from '~/schemas/account';
import { getDb } from '~/server/db.server';
import { currentSessionKey, requireUser } from '~/server/session.server';
import { parseForm } from '~/utils/form.server';
import type { AgentWords } from '~/utils/user-agent';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getRequestT(request, 'admin');
  return {
    title: t('sessions.meta'),
    sessions: await listSessionRows(getDb(), user.id, await currentSessionKey(request), t('sessions.agent', { returnObjects: true }) as AgentWords),
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
  const { t } = useTranslation('admin');
  return (
    <>
      <h1>{t('sessions.heading')}</h1>
      {ended !== null ? (
        <div className="notice" role="status">
          {t('sessions.ended', { count: Number(ended) })}
        </div>
      ) : null}
      <p>{t('sessions.intro')}</p>
      <SessionTable sessions={sessions} currentLabel={t('sessions.current')} />
      <Form method="post">
        <input type="hidden" name="intent" value="end-others" />
        <button type="submit">{t('sessions.endOthers')}</button>
      </Form>
    </>
  );
}
