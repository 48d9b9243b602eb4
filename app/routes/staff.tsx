import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, NavLink, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from '@remix-run/react';
import type { Role } from '../../db/schema';
import { canAccess, STAFF_NAV } from '~/domain/access';
import { getRequestT } from '~/i18n/i18n.server';
import { readsAs, staffMeta, useStaffFormat } from '~/i18n/staff-format';
import { requireUser } from '~/server/session.server';
import { getDb } from '~/server/db.server';
import { listAddressBounces } from '~/models/mail-events.server';
import { BounceBanner } from '~/components/bounce-banner';

// Every staff page reads the staff namespace; pages of the admin half add their own.
export const handle = { i18n: ['staff'] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.titles.suffix, matches);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getRequestT(request, 'staff');
  return { user, bounces: await listAddressBounces(getDb()), titles: { suffix: t('meta.suffix'), notFound: t('meta.notFound') } };
}

function StaffHeader({ user }: { user: { displayName: string; role: Role } }) {
  const f = useStaffFormat();
  const { t } = f;
  return (
    <div className="staff-bar">
      <nav aria-label={t('layout.navLabel')}>
        <ul className="staff-nav">
          {STAFF_NAV.filter((item) => canAccess(user.role, item.access)).map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end}>
                {t(item.labelKey)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="staff-user">
        <span>{t('layout.userRole', { name: user.displayName, role: f.role(user.role) })}</span>
        <Link to="/staff/account">{t('layout.account')}</Link>
        <Form method="post" action="/staff/logout" reloadDocument>
          <button type="submit" className="button--secondary">
            {t('layout.signOut')}
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
  const { t, lng } = useStaffFormat();
  // A thrown Response's text, when it is in the page's language.
  const text = isRouteErrorResponse(error) && typeof error.data === 'string' && error.data && readsAs(error.data, lng) ? error.data : null;
  let title = t('errors.generic.title');
  let message = t('errors.generic.body');
  if (isRouteErrorResponse(error)) {
    if (error.status === 403) {
      title = t('errors.forbidden.title');
      message = text ? t('errors.forbidden.withReason', { reason: text }) : t('errors.forbidden.body');
    } else if (error.status === 404) {
      title = t('errors.notFound.title');
      message = text && text !== 'Not Found' ? text : t('errors.notFound.body');
    } else if (error.status < 500 && text) {
      message = text;
    }
  }
  return (
    <div className="staff">
      {data?.user ? <StaffHeader user={data.user} /> : null}
      <div className="error-page">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <Link to="/staff">{t('layout.backToInbox')}</Link>
        </p>
      </div>
    </div>
  );
}
