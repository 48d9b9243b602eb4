import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Printing needs JavaScript; without it the browser's own print menu remains.
 * Rendered only once mounted (the server sends nothing). On a page that is not
 * hydrated, the root's StaticPageScript makes the same button inside an element
 * marked `data-print-label` (the report page's toolbar).
 */
export function PrintButton() {
  const { t } = useTranslation();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button type="button" className="button--secondary" onClick={() => window.print()}>
      {t('print')}
    </button>
  );
}
