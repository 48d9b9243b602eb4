// The production HTTP server: every response gets its security headers and log
// line, the report page is answered from its cache, everything else goes
// through Express (static files, same-origin check, body) to Remix.
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { createRequestHandler as createRemixHandler, type ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { bootApp, shutdownApp } from './boot.server';
import { withBusyAs503 } from './db-errors.server';
import { configWarnings, EnvError, getEnv } from '~/utils/env.server';
import { getNodeRequestLanguage, getT } from '~/i18n/i18n.server';
import { log, logRequest, type ThreadAnswered } from './request-log.server';
import { originOf, refuseCrossOriginWrites, verifiedOriginHost } from './same-origin.server';
import { serveCachedPage } from './page-cache.server';
import { renderReportPagesOn } from './cache-renderer.server';
import { isThreadRequest, RequestThreads, ThreadLostError, type ThreadResponse } from './request-threads.server';
import { bufferBody, bufferedBody } from './request-body.server';
import { writeBody, writeWholeBody } from './response-body.server';
import { contentSecurityPolicy, createNonce, isPrivatePath, PER_REQUEST_ONLY_HEADERS, securityHeaders } from './security-headers.server';

type NonceCarrier = http.IncomingMessage & { cspNonce: string };

/** Forwarded headers are read here, once, by the trust rule; the app never sees a client's own. */
const FORWARDED_HEADERS = new Set(['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded']);

/**
 * The request as Remix sees it: its URL, the headers the app may read (as
 * pairs: a thread gets them as they are, Remix as `Headers`), the buffered body.
 */
function requestParts(req: express.Request): { url: string; method: string; headers: Array<[string, string]>; body: Buffer | undefined } {
  // Concatenated, not resolved: a path like //evil.example/x stays a path.
  const url = new URL(`${originOf(req)}${req.originalUrl}`);
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (FORWARDED_HEADERS.has(name)) continue;
    if (Array.isArray(value)) for (const v of value) headers.push([name, v]);
    else if (value !== undefined) headers.push([name, value]);
  }
  // Remix's CSRF check compares Origin with X-Forwarded-Host or Host; the
  // same-origin middleware has already verified the Origin as ours.
  const verifiedHost = verifiedOriginHost(req);
  if (verifiedHost) headers.push(['x-forwarded-host', verifiedHost]);
  return { url: url.href, method: req.method, headers, body: bufferedBody(req).raw };
}

function toRemixRequest(req: express.Request, res: express.Response): Request {
  const parts = requestParts(req);
  const { url, method, body } = parts;
  const headers = new Headers(parts.headers);
  const controller = new AbortController();
  // Abort loaders and actions when the client goes away before the answer.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const { stream } = bufferedBody(req);
  if (stream) return new Request(url, { method, headers, signal: controller.signal, body: stream, duplex: 'half' } as RequestInit);
  return new Request(url, {
    method,
    headers,
    signal: controller.signal,
    body: body && method !== 'GET' && method !== 'HEAD' ? new Uint8Array(body) : undefined,
  });
}

/** Status and headers of an answer (Remix's or a thread's) onto the server's response. */
function writeStatusAndHeaders(req: express.Request, res: express.Response, answer: { status: number; statusText: string; headers: Iterable<[string, string]> }): void {
  res.statusMessage = answer.statusText;
  res.status(answer.status);
  for (const [name, value] of answer.headers) {
    // A route's own header replaces the server's default of that name (nosniff
    // is not said twice), except a Content-Security-Policy, which is added: a
    // browser enforces both, so a route can only tighten it (a sandbox).
    if (name === 'set-cookie' || name === 'content-security-policy') res.append(name, value);
    else res.setHeader(name, value);
  }
  // Whatever a route said, a staff page is never kept by a browser or proxy.
  if (isPrivatePath(req.originalUrl)) res.setHeader('Cache-Control', 'no-store');
}

async function sendRemixResponse(req: express.Request, res: express.Response, response: Response): Promise<void> {
  writeStatusAndHeaders(req, res, { status: response.status, statusText: response.statusText, headers: response.headers.entries() });
  if (response.body) await writeBody(response.body, res);
  else res.end();
}

/** A thread's answer is whole: written at once. */
function sendThreadResponse(req: express.Request, res: express.Response, response: ThreadResponse): void {
  writeStatusAndHeaders(req, res, response);
  writeWholeBody(response.body, res);
}

/**
 * Brotli for the responses compressed one by one (every page Remix renders, the
 * static files, the export): compression's quality 4, with a 64 KB window
 * instead of brotli's default 4 MB. Each response makes an encoder, and with
 * the default window making and dropping its buffers cost more than the
 * page's render (the collector was a fifth of the main thread's time in a
 * profile of such a flood): the list page (rendered per request until the
 * twenty-fourth session) was
 * answered 84–102 times a second in brotli against 198–246 without
 * compression, and 178–220 with this window (wrk, 20 connections, alternating
 * server starts, twenty-second session). A page this size loses nothing by it
 * (2,807 against 2,812 bytes); the cached report page keeps its own settings.
 */
const PER_RESPONSE_BROTLI = { params: { [zlib.constants.BROTLI_PARAM_LGWIN]: 16 } };

/**
 * The production HTTP server. `root` is the project folder (where public/ is).
 * Returns once listening; SIGTERM/SIGINT close it gracefully.
 */
export async function startServer(build: ServerBuild, root: string): Promise<http.Server> {
  // Everything the server writes (database, mail files, the session secret)
  // is for its own user only.
  process.umask(0o077);
  let env;
  try {
    env = getEnv();
    for (const warning of configWarnings(process.env)) log('warn', warning);
    // With opinion threads the first one delivers the outbox: its mail work
    // (composing MIME, writing files, SMTP) is off the event loop too.
    await bootApp({ outbox: env.OPINION_THREADS === 0 });
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(error.message + '\n');
      process.exit(1);
    }
    throw error;
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUST_PROXY);

  app.use(compression({ brotli: PER_RESPONSE_BROTLI }));
  app.use(
    '/build',
    express.static(path.join(root, 'public/build'), { immutable: true, maxAge: '1y', index: false }),
  );
  app.use(express.static(path.join(root, 'public'), { maxAge: '1h', index: false }));
  app.use(refuseCrossOriginWrites(env.PUBLIC_URL));
  // app.use, not app.all('*'): Express decodes route params, and a path like
  // /reports/%FF%FE made it throw a URIError that its final handler left unanswered.
  app.use(bufferBody);
  const handleRemix = createRemixHandler(withBusyAs503(build), env.NODE_ENV === 'production' ? 'production' : 'development');
  // Opinion posts go to a thread of their own (decision 018), everything else to Remix here.
  const threads = env.OPINION_THREADS > 0 ? new RequestThreads(pathToFileURL(path.join(root, 'build/index.js')).href, env.OPINION_THREADS) : null;
  // The cached report page is rendered there too, off the readers' event loop (decision 015).
  renderReportPagesOn(threads && threads.renderForCache.bind(threads));
  app.use(async (req, res, next) => {
    try {
      const context = { cspNonce: (req as unknown as NonceCarrier).cspNonce, clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
      if (threads && isThreadRequest(req.method, req.originalUrl, req.headers['content-type'])) {
        const answered = await threads.handle(requestParts(req), context);
        (res as ThreadAnswered).thread = answered.thread;
        sendThreadResponse(req, res, answered.response);
      } else {
        await sendRemixResponse(req, res, await handleRemix(toRemixRequest(req, res), context));
      }
    } catch (error) {
      next(error);
    }
  });

  app.use(((error, req, res, _next) => {
    log('error', 'express error', { error: error instanceof Error ? error.stack : String(error) });
    if (res.headersSent) return res.destroy();
    const bad = error instanceof URIError || (error as { status?: number })?.status === 400;
    // An opinion thread that died mid-post: worth sending again (a double submission is caught).
    const lost = error instanceof ThreadLostError;
    void getNodeRequestLanguage(req).then((lng) => {
      const t = getT(lng);
      if (res.headersSent) return;
      if (lost) res.setHeader('Retry-After', '5');
      res
        .status(bad ? 400 : lost ? 503 : 500)
        .type('text/plain; charset=utf-8')
        .send(bad ? t('errors.badRequestShort') : lost ? t('errors.threadLost') : t('errors.serverShort'));
    });
  }) as express.ErrorRequestHandler);

  // Every response gets its security headers and log line here; the report
  // page is answered from its cache (with a policy naming its scripts'
  // hashes, its headers written at once from an array prepared per page),
  // everything else goes to Express with a nonce of its own.
  let closing = false;
  const hsts = env.PUBLIC_URL.startsWith('https://');
  const sharedHeaders: ReadonlyArray<readonly [string, string]> = Object.entries(securityHeaders('', { hsts })).filter(
    ([name]) => name !== 'Content-Security-Policy',
  );
  // The cached report page is the same bytes for everyone: it goes without the
  // headers that guard one reader's page (decision 015, twenty-first session).
  const cachedPageHeaders = sharedHeaders.filter(([name]) => !PER_REQUEST_ONLY_HEADERS.has(name.toLowerCase()));
  const toExpress = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Once shutting down, no connection is kept alive for another request.
    if (closing) res.setHeader('Connection', 'close');
    for (const [name, value] of sharedHeaders) res.setHeader(name, value);
    if (isPrivatePath(req.url ?? '')) res.setHeader('Cache-Control', 'no-store');
    const nonce = createNonce();
    (req as NonceCarrier).cspNonce = nonce;
    res.setHeader('Content-Security-Policy', contentSecurityPolicy([`'nonce-${nonce}'`]));
    app(req, res);
  };
  const cacheFailed = (req: http.IncomingMessage, res: http.ServerResponse, error: unknown) => {
    log('error', 'page cache failed', { error: String(error) });
    if (!res.headersSent) toExpress(req, res);
  };
  const server = http.createServer((req, res) => {
    const startedAt = process.hrtime.bigint();
    res.on('finish', () => logRequest(req, res, startedAt));
    let served: boolean | Promise<boolean>;
    try {
      served = serveCachedPage(build, req, res, cachedPageHeaders, closing);
    } catch (error) {
      cacheFailed(req, res, error);
      return;
    }
    if (served === true) return;
    if (served === false) toExpress(req, res);
    else
      served.then(
        (done) => done || toExpress(req, res),
        (error) => cacheFailed(req, res, error),
      );
  });
  server.keepAliveTimeout = 65_000;
  await threads?.ready();
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  log('info', 'listening', { url: `http://${env.HOST}:${port}`, publicUrl: env.PUBLIC_URL, mode: env.NODE_ENV });

  // The kernel queues connections before Node accepts them; on a busy event
  // loop that can take well over a second. Closing the listener resets every
  // queued connection, so after SIGTERM it stays open until no new connection
  // has arrived for QUIET_MS (at most GRACE_MAX_MS), every answer saying
  // Connection: close. Then the listener closes, requests in flight finish,
  // and keep-alive connections with nothing in progress are closed.
  const QUIET_MS = 500;
  const GRACE_MAX_MS = 5_000;
  let lastConnectionAt = Date.now();
  server.on('connection', () => {
    lastConnectionAt = Date.now();
  });
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    const since = Date.now();
    log('info', 'shutting down', { signal });
    const stopListening = () => {
      server.close(async () => {
        renderReportPagesOn(null);
        await threads?.close();
        await shutdownApp();
        log('info', 'stopped');
        process.exit(0);
      });
      server.closeIdleConnections();
      setInterval(() => server.closeIdleConnections(), 250).unref();
    };
    const waitForQuiet = setInterval(() => {
      const now = Date.now();
      if (now - lastConnectionAt >= QUIET_MS || now - since >= GRACE_MAX_MS) {
        clearInterval(waitForQuiet);
        stopListening();
      }
    }, 100);
    setTimeout(() => {
      log('warn', 'forced shutdown after 15 s');
      process.exit(1);
    }, 15_000).unref();
  };
  process.on('SIGTERM', () => close('SIGTERM'));
  process.on('SIGINT', () => close('SIGINT'));
  return server;
}
