// A person's own account: name, password, second factor, sessions.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getRequestT } from '~/i18n/i18n.server';
import { requireUser } from '~/server/session.server';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t } = await getRequestT(request, 'admin');
  return { title: t('account.meta') };
}

const PAGES = [
  { to: '/staff/account', label: 'account.nav.overview', end: true },
  { to: '/staff/account/password', label: 'account.nav.password' },
  { to: '/staff/account/2fa', label: 'account.nav.twoFactor' },
  { to: '/staff/account/sessions', label: 'account.nav.sessions' },
];

export default function AccountLayout() {
  const { t } = useTranslation('admin');
  return (
    <div className="account">
      <nav aria-label={t('account.nav.label')}>
        <ul className="account-nav">
          {PAGES.map((page) => (
            <li key={page.to}>
              <NavLink to={page.to} end={page.end}>
                {t(page.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
