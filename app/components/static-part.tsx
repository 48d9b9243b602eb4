// Server-rendered markup that React does not hydrate element by element
// (decision 017). The report page is some 1,100 elements of which only the
// forms' buttons and a few links need React: hydrating the rest cost the
// reader's phone more than a second of blocked main thread.
import { useState, type ReactNode } from 'react';

/** True until the first render in the browser is committed: only then is there server DOM to adopt. */
let hydrating = typeof document !== 'undefined';

/** entry.client calls this once the document is hydrated: later renders (client-side navigations) have no server DOM. */
export function markHydrated(): void {
  hydrating = false;
}

/**
 * A <div> whose children (a function) the server renders as usual. While the page
 * hydrates, React keeps the markup the server sent as it is (one element with
 * `dangerouslySetInnerHTML`, read back from the DOM, so nothing is compared or
 * given a fiber inside); rendered later in the browser — a client-side
 * navigation, `live`, or a `version` other than the one hydrated — it renders
 * its children like any element. Only for markup without event handlers or
 * state: nothing inside reacts until the part turns live.
 */
export function StaticPart({
  id,
  className,
  lang,
  live = false,
  version,
  children,
}: {
  /** Unique on the page: the part finds its server markup by it. */
  id: string;
  className?: string;
  lang?: string;
  /** Render the children with React from now on (e.g. a form's fields once errors come back). */
  live?: boolean;
  /** What the children show (compared by identity): when it changes, the server markup is stale. */
  version?: unknown;
  /** Called only when React renders the part (the formatting and translating in it is skipped while hydrating). */
  children: () => ReactNode;
}) {
  const [server] = useState(() =>
    hydrating ? { html: document.getElementById(id)?.innerHTML ?? null, version } : null
  );
  if (server?.html != null && !live && server.version === version) {
    // The key makes turning live a new element (React never mixes the two kinds of children).
    return (
      <div key="server" id={id} className={className} lang={lang} dangerouslySetInnerHTML={{ __html: server.html }} />
    );
  }
  return (
    <div key="react" id={id} className={className} lang={lang}>
      {children()}
    </div>
  );
}
