import { RemixBrowser } from '@remix-run/react';
import i18next from 'i18next';
import HttpBackend from 'i18next-http-backend';
import { startTransition, StrictMode, useEffect, type ReactNode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { getInitialNamespaces } from 'remix-i18next/client';
import { markHydrated } from '~/components/static-part';
import { addFormatters, DEFAULT_LANGUAGE, i18nConfig, isLanguage } from '~/i18n/config';
import { toKanjiNumber } from '~/utils/format';

/** Its effect runs after every other of the first commit: from then on no render adopts server DOM. */
function Hydrated({ children }: { children: ReactNode }) {
  useEffect(markHydrated, []);
  return children;
}

async function hydrate() {
  // The server chose the language and wrote it on <html lang>; only the
  // namespaces of the routes on this page are fetched before hydrating.
  const lang = document.documentElement.lang;
  await i18next
    .use(initReactI18next)
    .use(HttpBackend)
    .init({
      ...i18nConfig,
      lng: isLanguage(lang) ? lang : DEFAULT_LANGUAGE,
      ns: getInitialNamespaces(),
      // The catalogs are complete in every language (tests/unit/i18n-catalogs),
      // so the browser never needs to fetch Japanese as a fallback too.
      fallbackLng: false,
      backend: { loadPath: '/locales/{{lng}}/{{ns}}.json' },
    });
  addFormatters(i18next, toKanjiNumber);
  startTransition(() => {
    hydrateRoot(
      document,
      <Hydrated>
        <I18nextProvider i18n={i18next}>
          <StrictMode>
            <RemixBrowser />
          </StrictMode>
        </I18nextProvider>
      </Hydrated>,
    );
  });
}

void hydrate();
