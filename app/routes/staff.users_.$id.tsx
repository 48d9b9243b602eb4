// /staff/users/:id — one account's sessions, for admins: where the person is
// signed in (signed in at, last seen, browser), each of which can be ended,
// or all at once. Every end is audited (auth.session_end), as on the person's
// own sessions page.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { ROLE_LABELS } from '~/domain/labels';
import { endSessions, listUserSessions } from '~/models/sessions.server';
import { getUserById } from '~/models/users.server';
import { userSessionActionSchema } from '~/schemas/staff-admin';
import { getDb } from '~/server/db.server';
import { currentSessionKey, requireUser } from '~/server/session.server';
import { parseForm, requireId } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { describeAgent } from '~/utils/user-agent';

const NOT_FOUND = 'この利用者は見つかりません。';

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: `${d?.user.displayName ?? '利用者'}さんのセッション | 意見箱` },
  { name: 'robots', content: 'noindex' },
];

async function requireAccount(params: LoaderFunctionArgs['params']) {
  const user = await getUserById(getDb(), requireId(params, 'id', NOT_FOUND));
  if (!user) throw new Response(NOT_FOUND, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const user = await requireAccount(params);
  const current = await currentSessionKey(request);
  const sessions = await listUserSessions(getDb(), user.id);
  const ended = new URL(request.url).searchParams.get('ended');
  return {
    user: { id: user.id, displayName: user.displayName, email: user.email, role: user.role, active: user.active },
    sessions: sessions.map((s, i) => ({
      id: s.key,
      no: i + 1,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      agent: describeAgent(s.userAgent),
      current: s.key === current,
      pending: s.pendingSecondFactor,
    })),
    ended: ended !== null && /^\d+$/.test(ended) ? Number(ended) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'admin');
  const user = await requireAccount(params);
  const form = await parseForm(request, userSessionActionSchema);
  if (!form.success) return data({ error: form.formError ?? '操作の種類が正しくありません。' }, { status: 400 });
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
  return (
    <>
      <p className="back-link">
        <Link to="/staff/users">← 利用者の管理へ戻る</Link>
      </p>
      <h1>{user.displayName}さんのセッション</h1>
      {ended !== null ? (
        <div className="notice" role="status">
          {ended > 0 ? `セッションを${ended}件終了しました。` : 'このセッションはすでに終了しています。'}
        </div>
      ) : null}
      <p>
        {user.email}（{ROLE_LABELS[user.role]}
        {user.active ? '' : '・停止中'}）がサインインしている端末の一覧です。終了した端末では、次の操作からサインインが必要になります。
      </p>
      {sessions.length === 0 ? (
        <p>サインイン中の端末はありません。</p>
      ) : (
        <>
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
                      {s.current ? '(あなたのこの端末)' : ''}
                      {s.pending ? '(確認コード待ち)' : ''}
                    </th>
                    <td>
                      <time dateTime={s.createdAt}>{formatDateTime(s.createdAt)}</time>
                    </td>
                    <td>
                      <time dateTime={s.lastSeenAt}>{formatDateTime(s.lastSeenAt)}</time>
                    </td>
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
            <input type="hidden" name="intent" value="end-all" />
            <button type="submit">{user.displayName}さんのセッションをすべて終了</button>
          </Form>
        </>
      )}
    </>
  );
}
