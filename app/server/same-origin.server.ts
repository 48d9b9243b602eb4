// Refusing state-changing requests sent from another site (CSRF). SameSite=Lax
// already keeps the staff cookie off cross-site POSTs; this is the second lock.
import type { RequestHandler } from 'express';

export const CROSS_ORIGIN_MESSAGE = 'この送信元からの操作は受け付けられません';

type HeaderGetter = (name: string) => string | null | undefined;

/**
 * True when a non-GET/HEAD request comes from an origin other than ours: the
 * Origin header (or, without it, the Referer) must be one of `ownOrigins`.
 * Without either header only a browser that says "cross-site" is refused —
 * tools and tests send neither.
 */
export function isCrossOriginWrite(method: string, header: HeaderGetter, ownOrigins: string[]): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  const origin = header('origin');
  if (origin) return !ownOrigins.includes(origin);
  const referer = header('referer');
  if (referer) {
    try {
      return !ownOrigins.includes(new URL(referer).origin);
    } catch {
      return true;
    }
  }
  const site = header('sec-fetch-site');
  return Boolean(site) && site !== 'same-origin';
}

/**
 * Express middleware answering cross-origin writes with 403 before Remix sees
 * them (Remix's own check would otherwise turn a mismatched Origin into a 500).
 */
export function refuseCrossOriginWrites(publicUrl: string): RequestHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return (req, res, next) => {
    const own = [`${req.protocol}://${req.get('host')}`, publicOrigin];
    if (!isCrossOriginWrite(req.method, (name) => req.get(name), own)) {
      // Remix compares Origin with (X-Forwarded-)Host and throws — a 500 — when
      // they differ, as they do behind a proxy that rewrites Host. The origin
      // is verified as ours here, so tell Remix the host it came to.
      const origin = req.get('origin');
      if (origin && origin !== 'null' && req.method !== 'GET' && req.method !== 'HEAD') {
        req.headers['x-forwarded-host'] = new URL(origin).host;
      }
      return next();
    }
    res.status(403).type('text/plain; charset=utf-8').send(CROSS_ORIGIN_MESSAGE);
  };
}
