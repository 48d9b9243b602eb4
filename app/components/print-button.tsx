import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Printing needs JavaScript; without it the browser's own print menu remains. */
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
