import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useChangeLanguage } from 'remix-i18next/react';
import { LanguageSwitch } from '~/components/language-switch';
import { StaticPageScript } from '~/components/static-page-script';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { getEnv } from '~/utils/env.server';
import styles from '~/styles/app.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  // A PNG (drawn from favicon.svg, which stays): Chromium fetches and decodes the
  // icon on the page's main thread, and an SVG icon is a document of its own to
  // style, lay out and paint there, right at the first paint (decision 017).
  { rel: 'icon', href: '/favicon.png', type: 'image/png', sizes: '32x32' },
];

export const handle = { i18n: ['common'] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { lng, t } = await getRequestT(request);
  return {
    nonce: context.cspNonce,
    locale: lng,
    publicUrl: getEnv().PUBLIC_URL,
    // For `meta` functions (no hooks there) of pages without a loader, and of error pages.
    titles: {
      site: t('site.name'),
      notFound: t('site.pageTitle', { title: t('errors.notFound.title') }),
      error: t('site.pageTitle', { title: t('errors.generic.title') }),
      // The opinions action's own page has no loader to word its title.
      submit: t('site.pageTitle', { title: t('reports:submit.title') }),
    },
  };
}

/** Error pages' titles (a route's own meta replaces this one). */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (!data) return [];
  if (error) return [{ title: isRouteErrorResponse(error) && error.status === 404 ? data.titles.notFound : data.titles.error }];
  return [{ title: data.titles.site }];
};

/** The same page in each language (?lng= for readers without the cookie, e.g. search engines), and x-default. */
function AlternateLanguages({ publicUrl }: { publicUrl: string }) {
  const location = useLocation();
  const href = (lng: string | null) => {
    const search = new URLSearchParams(location.search);
    search.delete('lng');
    if (lng) search.set('lng', lng);
    const query = search.toString();
    return `${publicUrl}${location.pathname}${query ? `?${query}` : ''}`;
  };
  return (
    <>
      {LANGUAGES.map((lng) => (
        <link key={lng} rel="alternate" hrefLang={lng} href={href(lng)} />
      ))}
      <link rel="alternate" hrefLang="x-default" href={href(null)} />
    </>
  );
}

/**
 * Whether this render is a document that Remix will not hydrate: a matched
 * route's handle says `hydrate: false` (decision 017). Only the server's render
 * can be one; in the browser this document was hydrated, and a client-side
 * navigation into such a route keeps Remix's scripts where they are.
 */
function useStaticDocument(): boolean {
  const matches = useMatches();
  return (
    typeof document === 'undefined' &&
    matches.some((m) => (m.handle as { hydrate?: boolean } | undefined)?.hydrate === false)
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root');
  const staticDocument = useStaticDocument();
  const { t, i18n } = useTranslation();
  const nonce = data?.nonce;
  const locale = data?.locale ?? (isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE);
  // The staff console has its own navigation and needs the width for tables.
  const staff = useLocation().pathname.startsWith('/staff');
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {staff || !data ? null : <AlternateLanguages publicUrl={data.publicUrl} />}
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('site.skipLink')}
        </a>
        <header className="site-header">
          <div className={staff ? 'site-header__inner wide' : 'site-header__inner'}>
            <Link to={staff ? '/staff' : '/'} className="site-title">
              {t('site.name')} <span className="site-title__sub">{staff ? t('site.staffSubtitle') : t('site.subtitle')}</span>
            </Link>
            {staff ? null : (
              <nav aria-label={t('site.navLabel')}>
                <ul className="site-nav">
                  <li>
                    <Link to="/">{t('site.nav.reports')}</Link>
                  </li>
                  <li>
                    <Link to="/track">{t('site.nav.track')}</Link>
                  </li>
                  <li>
                    <Link to="/privacy">{t('site.nav.privacy')}</Link>
                  </li>
                </ul>
              </nav>
            )}
            <LanguageSwitch />
          </div>
        </header>
        <main id="main" tabIndex={-1} className={staff ? 'wide' : undefined}>
          {children}
        </main>
        <footer className={staff ? 'site-footer wide' : 'site-footer'}>
          <p>{t('site.footer')}</p>
          {staff ? null : <p>{t('site.timeZone')}</p>}
        </footer>
        {staticDocument ? (
          <StaticPageScript nonce={nonce} />
        ) : (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        )}
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>('root');
  // After a client-side navigation that changed the language, load its catalogs.
  useChangeLanguage(data?.locale ?? DEFAULT_LANGUAGE);
  return <Outlet />;
}

/** The explanation for each status a page can be refused with (the heading says "not found" or "an error"). */
const ERROR_BODIES: Record<number, string> = {
  400: 'errors.badRequest.body',
  404: 'errors.notFound.body',
  413: 'errors.tooLarge.body',
  415: 'errors.unsupported.body',
  429: 'errors.rateLimited.body',
  503: 'errors.busy.body',
};

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <div className="error-page">
      <h1>{status === 404 ? t('errors.notFound.title') : t('errors.generic.title')}</h1>
      {/* Statuses without their own words (403, 405, 500 …) get the general message. */}
      <p>{t(ERROR_BODIES[status] ?? 'errors.generic.body')}</p>
      {status === 429 || status === 503 ? <p>{t('errors.channels')}</p> : null}
      <p>
        <Link to="/">{t('errors.backToTop')}</Link>
      </p>
    </div>
  );
}
