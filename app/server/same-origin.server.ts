// Refusing state-changing requests sent from another site (CSRF). SameSite=Lax
// already keeps the staff cookie off cross-site POSTs; this is the second lock.
import type { Request, RequestHandler } from 'express';
import { requestOrigin } from '~/utils/client-address';

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

type TrustFn = (address: string | undefined, hop: number) => boolean;

/** The origin an Express request came to, believing forwarded headers only from a trusted proxy. */
export function originOf(req: Request): string {
  const trust = req.app.get('trust proxy fn') as TrustFn;
  return requestOrigin({
    peerTrusted: trust(req.socket.remoteAddress, 0),
    encrypted: Boolean((req.socket as { encrypted?: boolean }).encrypted),
    host: req.get('host'),
    forwardedHost: req.get('x-forwarded-host'),
    forwardedProto: req.get('x-forwarded-proto'),
  });
}

type VerifiedCarrier = Request & { verifiedOriginHost?: string };

/** The host of an Origin this middleware verified as ours, for Remix's own CSRF check. */
export function verifiedOriginHost(req: Request): string | undefined {
  return (req as VerifiedCarrier).verifiedOriginHost;
}

/**
 * Express middleware answering cross-origin writes with 403 before Remix sees
 * them (Remix's own check would otherwise turn a mismatched Origin into a 500).
 */
export function refuseCrossOriginWrites(publicUrl: string): RequestHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return (req, res, next) => {
    const own = [originOf(req), publicOrigin];
    if (!isCrossOriginWrite(req.method, (name) => req.get(name), own)) {
      // Remix compares Origin with (X-Forwarded-)Host and throws — a 500 — when
      // they differ, as they do behind a proxy that rewrites Host. The origin
      // is verified as ours here; the adapter hands its host to Remix (never a
      // client's own X-Forwarded-Host).
      const origin = req.get('origin');
      if (origin && origin !== 'null' && req.method !== 'GET' && req.method !== 'HEAD') {
        (req as VerifiedCarrier).verifiedOriginHost = new URL(origin).host;
      }
      return next();
    }
    res.status(403).type('text/plain; charset=utf-8').send(CROSS_ORIGIN_MESSAGE);
  };
}
