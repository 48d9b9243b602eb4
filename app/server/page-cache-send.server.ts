// How a cached public page goes out (page-cache.server.ts keeps and renders
// them): its status line and headers prepared once per entry, the body in the
// encoding the request accepts, a 304 for the ETag the browser holds, and the
// report's view counted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Entry } from './page-cache.server';
import { countView, isHumanViewHeaders } from './view-counter.server';

/**
 * A cached page's status line headers, prepared once per entry as the flat
 * array `res.writeHead` takes (Node's fast path when nothing was set before):
 * the server's shared headers for cached pages, the page's own (which replace
 * a shared one of the same name), its CSP, ETag and Cache-Control; a 200 adds Vary and its
 * encoding.
 */
type Heads = { shared: ReadonlyArray<readonly [string, string]>; notModified: string[]; identity: string[]; gzip: string[]; br: string[] };
const heads = new WeakMap<Entry, Heads>();

function headsFor(entry: Entry, shared: ReadonlyArray<readonly [string, string]>): Heads {
  const known = heads.get(entry);
  if (known?.shared === shared) return known;
  const own = new Set(entry.headers.map(([name]) => name.toLowerCase()));
  const common: string[] = [];
  for (const [name, value] of shared) if (!own.has(name.toLowerCase())) common.push(name, value);
  for (const [name, value] of entry.headers) common.push(name, value);
  // The same bytes for everyone, but only this browser may keep them: a page
  // that differs by language must not be handed on by a shared cache.
  common.push('ETag', entry.etag, 'Cache-Control', 'private, no-cache');
  const ok = [...common, 'Vary', 'Accept-Encoding, Accept-Language, Cookie'];
  const made: Heads = {
    shared,
    notModified: common,
    identity: [...ok, 'Content-Length', String(entry.identity.length)],
    gzip: [...ok, 'Content-Encoding', 'gzip', 'Content-Length', String(entry.gzip.length)],
    br: [...ok, 'Content-Encoding', 'br', 'Content-Length', String(entry.br.length)],
  };
  heads.set(entry, made);
  return made;
}

type Encoding = 'identity' | 'gzip' | 'br';
/** Accept-Encoding values seen, and the body each gets: readers send a handful. */
const encodings = new Map<string, Encoding>();

function encodingFor(accepted: string): Encoding {
  let encoding = encodings.get(accepted);
  if (encoding === undefined) {
    // Brotli's window reaches back to the notice text when the hydration data
    // repeats it at the end of the page; gzip's 32 KB window does not.
    encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : 'identity';
    if (encodings.size >= 1_000) encodings.clear();
    encodings.set(accepted, encoding);
  }
  return encoding;
}

/** Answers a read from a cached entry: a 304 when the browser holds its ETag, else the page in the encoding asked for. */
export function send(entry: Entry, req: IncomingMessage, res: ServerResponse, shared: ReadonlyArray<readonly [string, string]>, closing: boolean): void {
  if (entry.reportId !== null && isHumanViewHeaders(req.method, req.headers)) countView(entry.reportId);
  const h = headsFor(entry, shared);
  // Once shutting down, no connection is kept alive for another request.
  const withClosing = (head: string[]) => (closing ? [...head, 'Connection', 'close'] : head);
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === entry.etag)) {
    res.writeHead(304, withClosing(h.notModified));
    res.end();
    return;
  }
  const encoding = encodingFor(req.headers['accept-encoding'] ?? '');
  res.writeHead(200, withClosing(h[encoding]));
  res.end(req.method === 'HEAD' ? undefined : entry[encoding]);
}
