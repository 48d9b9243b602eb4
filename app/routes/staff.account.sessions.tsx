// The person's own sessions: where they are signed in, and a way to end them.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { endSessions, listUserSessions } from '~/models/sessions.server';
import { SessionActionSchema } from '~/schemas/account';
import { getDb } from '~/server/db.server';
import { currentSessionKey, requireUser } from '~/server/session.server';
import { parseForm } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { describeAgent } from '~/utils/user-agent';

export const meta: MetaFunction = () => [{ title: 'セッション | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const current = await currentSessionKey(request);
  const sessions = await listUserSessions(getDb(), user.id);
  return {
    sessions: sessions.map((s, i) => ({
      // The index is what the page shows; the digest stays on the server side of the form.
      id: s.key,
      no: i + 1,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      agent: describeAgent(s.userAgent),
      current: s.key === current,
      pending: s.pendingSecondFactor,
    })),
    ended: new URL(request.url).searchParams.get('ended'),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await parseForm(request, SessionActionSchema);
  if (!form.success) return data({ error: '操作の種類が正しくありません。' }, { status: 400 });
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
  return (
    <>
      <h1>セッション</h1>
      {ended !== null ? (
        <div className="notice" role="status">
          セッションを{ended}件終了しました。
        </div>
      ) : null}
      <p>このアカウントでサインインしている端末の一覧です。心当たりのないものは終了してください。</p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">端末</th>
              <th scope="col">サインイン</th>
              <th scope="col">最終利用</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  {s.agent}
                  {s.current ? '(この端末)' : ''}
                  {s.pending ? '(確認コード待ち)' : ''}
                </th>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{formatDateTime(s.lastSeenAt)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="end" />
                    <input type="hidden" name="session" value={s.id} />
                    <button type="submit" className="button--secondary" aria-label={`セッション${s.no}(${s.agent})を終了`}>
                      終了
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
        <button type="submit">ほかのセッションをすべて終了</button>
      </Form>
    </>
  );
}
