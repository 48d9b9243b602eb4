import { useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_NAMES, LANGUAGES } from '~/i18n/config';

/**
 * Plain links to /language, which sets the `lng` cookie and sends the reader
 * back here (303), so the switch works without JavaScript and reloads the
 * whole document in the new language.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const search = new URLSearchParams(location.search);
  search.delete('lng');
  const query = search.toString();
  const back = location.pathname + (query ? `?${query}` : '');
  return (
    <nav aria-label={t('language.label')} className="language-switch">
      <ul>
        {LANGUAGES.map((lng) => (
          <li key={lng}>
            {lng === i18n.language ? (
              <span lang={lng} aria-current="true">
                {LANGUAGE_NAMES[lng]}
              </span>
            ) : (
              <a
                href={`/language?${new URLSearchParams({ lng, redirectTo: back })}`}
                lang={lng}
                hrefLang={lng}
                rel="nofollow"
              >
                {LANGUAGE_NAMES[lng]}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
