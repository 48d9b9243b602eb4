import type { LinksFunction } from '@remix-run/node';
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import styles from '~/styles/app.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export function loader({ context }: { context: { cspNonce: string } }) {
  return { nonce: context.cspNonce };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root');
  const nonce = data?.nonce;
  // The staff console has its own navigation and needs the width for tables.
  const staff = useLocation().pathname.startsWith('/staff');
  return (
    <html lang="ja">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          本文へ移動
        </a>
        <header className="site-header">
          <div className={staff ? 'site-header__inner wide' : 'site-header__inner'}>
            <Link to={staff ? '/staff' : '/'} className="site-title">
              意見箱 <span className="site-title__sub">{staff ? '職員画面' : '秀洲区 巡視整備通報への意見・提案'}</span>
            </Link>
            {staff ? null : (
              <nav aria-label="サイト">
                <ul className="site-nav">
                  <li>
                    <Link to="/">通報一覧</Link>
                  </li>
                  <li>
                    <Link to="/track">受付番号で確認</Link>
                  </li>
                  <li>
                    <Link to="/privacy">個人情報の取扱い</Link>
                  </li>
                </ul>
              </nav>
            )}
          </div>
        </header>
        <main id="main" tabIndex={-1} className={staff ? 'wide' : undefined}>
          {children}
        </main>
        <footer className={staff ? 'site-footer wide' : 'site-footer'}>
          <p>意見箱 — 嘉興市秀洲区の通報に対する意見・提案の窓口</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <div className="error-page">
      <h1>{notFound ? 'ページが見つかりません' : 'エラーが発生しました'}</h1>
      {notFound ? (
        <p>お探しのページは存在しないか、移動した可能性があります。アドレスをご確認ください。</p>
      ) : status === 503 ? (
        <p>ただいま混み合っています。しばらくしてからもう一度お試しください。</p>
      ) : (
        <p>申し訳ありません。処理中に問題が発生しました。時間をおいてもう一度お試しください。</p>
      )}
      <p>
        <Link to="/">トップページへ戻る</Link>
      </p>
    </div>
  );
}
