import { useEffect, useState } from 'react';

/** Printing needs JavaScript; without it the browser's own print menu remains. */
export function PrintButton() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button type="button" className="button--secondary" onClick={() => window.print()}>
      このページを印刷
    </button>
  );
}
