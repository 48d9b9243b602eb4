import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, NavLink, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from '@remix-run/react';
import type { Role } from '../../db/schema';
import { canAccess, STAFF_NAV } from '~/domain/access';
import { ROLE_LABELS } from '~/domain/labels';
import { requireUser } from '~/server/session.server';
import { getDb } from '~/server/db.server';
import { listAddressBounces } from '~/models/mail-events.server';
import { BounceBanner } from '~/components/bounce-banner';

export const meta: MetaFunction = () => [{ title: '職員画面 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user, bounces: await listAddressBounces(getDb()) };
}

function StaffHeader({ user }: { user: { displayName: string; role: Role } }) {
  return (
    <div className="staff-bar">
      <nav aria-label="職員メニュー">
        <ul className="staff-nav">
          {STAFF_NAV.filter((item) => canAccess(user.role, item.access)).map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="staff-user">
        <span>
          {user.displayName}（{ROLE_LABELS[user.role]}）
        </span>
        <Link to="/staff/account">アカウント</Link>
        <Form method="post" action="/staff/logout" reloadDocument>
          <button type="submit" className="button--secondary">
            サインアウト
          </button>
        </Form>
      </div>
    </div>
  );
}

export default function StaffLayout() {
  const { user, bounces } = useLoaderData<typeof loader>();
  return (
    <div className="staff">
      <StaffHeader user={user} />
      <BounceBanner bounces={bounces} canFixUnits={canAccess(user.role, 'admin')} />
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>('routes/staff');
  let title = 'エラーが発生しました';
  let message = '申し訳ありません。処理中に問題が発生しました。時間をおいてもう一度お試しください。';
  if (isRouteErrorResponse(error)) {
    if (error.status === 403) {
      title = '権限がありません';
      message = typeof error.data === 'string' && error.data ? `${error.data}。必要な場合は管理者にご相談ください。` : 'この操作を行う権限がありません。';
    } else if (error.status === 404) {
      title = 'ページが見つかりません';
      message = typeof error.data === 'string' && error.data && error.data !== 'Not Found' ? error.data : 'お探しのページは存在しないか、移動した可能性があります。';
    } else if (error.status < 500 && typeof error.data === 'string' && error.data) {
      message = error.data;
    }
  }
  return (
    <div className="staff">
      {data?.user ? <StaffHeader user={data.user} /> : null}
      <div className="error-page">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <Link to="/staff">受付一覧へ戻る</Link>
        </p>
      </div>
    </div>
  );
}
