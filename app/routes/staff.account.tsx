// A person's own account: name, password, second factor, sessions.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { requireUser } from '~/server/session.server';

export const meta: MetaFunction = () => [{ title: 'アカウント | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

const PAGES = [
  { to: '/staff/account', label: '概要', end: true },
  { to: '/staff/account/password', label: 'パスワード' },
  { to: '/staff/account/2fa', label: '二段階認証' },
  { to: '/staff/account/sessions', label: 'セッション' },
];

export default function AccountLayout() {
  return (
    <div className="account">
      <nav aria-label="アカウントの設定">
        <ul className="account-nav">
          {PAGES.map((page) => (
            <li key={page.to}>
              <NavLink to={page.to} end={page.end}>
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
