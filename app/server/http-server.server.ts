import http from 'node:http';
import path from 'node:path';
import {
  createRequestHandler as createRemixHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { tooLargeProblemBody } from './api-problem.server';
import { bootApp, shutdownApp } from './boot.server';
import { withBusyAs503 } from './db-errors.server';
import { EnvError, getEnv } from '~/utils/env.server';
import { log, logRequest } from './request-log.server';
import { refuseCrossOriginWrites } from './same-origin.server';
import { serveCachedReport } from './page-cache.server';
import { createNonce, securityHeaders } from './security-headers.server';

type NonceCarrier = http.IncomingMessage & { cspNonce: string };
type BodyCarrier = express.Request & { rawBody?: Buffer };

/** Form posts are small; anything larger is refused before an action sees it. */
const MAX_BODY_BYTES = 64 * 1024;
/** Except the notices console's, which carries a notice (a file and/or a paste, 1 MB each; the action checks each). */
const NOTICE_FORM_PATH = /^\/staff\/notices(?:\/|$|\?)/;
const NOTICE_FORM_MAX_BYTES = 3 * 1024 * 1024;
const TOO_LARGE_PAGE = `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>送信内容が大きすぎます | 意見箱</title></head><body><main><h1>送信された内容が大きすぎます</h1><p>一度に送信できるのは64KBまでです。意見は4,000文字以内でお書きください。</p><p><a href="/">トップページへ戻る</a></p></main></body></html>`;

/**
 * Reads the whole request body before Remix runs. An action that answers
 * without reading the body (a redirect to sign-in, a 403, a 404) would
 * otherwise leave its unread bytes on a keep-alive socket, and the next request
 * on that connection would hang behind them.
 */
function bufferBody(req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  const maxBytes = NOTICE_FORM_PATH.test(req.originalUrl) ? NOTICE_FORM_MAX_BYTES : MAX_BODY_BYTES;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      tooLarge = true;
      req.off('data', onData);
      req.off('end', onEnd);
      res.setHeader('Connection', 'close');
      if (req.path.startsWith('/api/')) res.status(413).type('application/problem+json').send(tooLargeProblemBody(req.path));
      else res.status(413).type('text/html; charset=utf-8').send(TOO_LARGE_PAGE);
      // Let the rest arrive and be discarded (never parsed as a next request).
      req.resume();
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    if (tooLarge) return;
    (req as BodyCarrier).rawBody = Buffer.concat(chunks);
    next();
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', (error) => {
    if (!tooLarge && !res.headersSent) next(error);
  });
}

function toRemixRequest(req: express.Request, res: express.Response): Request {
  const host = req.get('x-forwarded-host') ?? req.get('host') ?? 'localhost';
  const url = new URL(`${req.protocol}://${host}${req.originalUrl}`);
  const controller = new AbortController();
  // Abort loaders and actions when the client goes away before the answer.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const body = (req as BodyCarrier).rawBody;
  return new Request(url.href, {
    method: req.method,
    headers,
    signal: controller.signal,
    body: body && req.method !== 'GET' && req.method !== 'HEAD' ? new Uint8Array(body) : undefined,
  });
}

async function sendRemixResponse(res: express.Response, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/**
 * The production HTTP server. `root` is the project folder (where public/ is).
 * Returns once listening; SIGTERM/SIGINT close it gracefully.
 */
export async function startServer(build: ServerBuild, root: string): Promise<http.Server> {
  let env;
  try {
    env = getEnv();
    await bootApp();
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

  app.use(compression());
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
  app.use(async (req, res, next) => {
    try {
      const response = await handleRemix(toRemixRequest(req, res), {
        cspNonce: (req as unknown as NonceCarrier).cspNonce,
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      });
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  });

  app.use(((error, _req, res, _next) => {
    log('error', 'express error', { error: error instanceof Error ? error.stack : String(error) });
    if (res.headersSent) return res.destroy();
    const bad = error instanceof URIError || (error as { status?: number })?.status === 400;
    res
      .status(bad ? 400 : 500)
      .type('text/plain; charset=utf-8')
      .send(bad ? 'リクエストの形式が正しくありません。' : '申し訳ありません。処理中に問題が発生しました。');
  }) as express.ErrorRequestHandler);

  // Every response gets its nonce, security headers and log line here; the
  // report page is answered from its cache, everything else goes to Express.
  let closing = false;
  const server = http.createServer((req, res) => {
    const startedAt = process.hrtime.bigint();
    // Once shutting down, no connection is kept alive for another request.
    if (closing) res.setHeader('Connection', 'close');
    const nonce = createNonce();
    (req as NonceCarrier).cspNonce = nonce;
    for (const [name, value] of Object.entries(securityHeaders(nonce))) res.setHeader(name, value);
    res.on('finish', () => logRequest(req, res, startedAt));
    serveCachedReport(build, req, res, nonce).then(
      (served) => served || app(req, res),
      (error) => {
        log('error', 'page cache failed', { error: String(error) });
        if (!res.headersSent) app(req, res);
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  log('info', 'listening', { url: `http://${env.HOST}:${port}`, publicUrl: env.PUBLIC_URL });

  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    log('info', 'shutting down', { signal });
    // For a grace second, connections already queued by the kernel are still
    // accepted (closing the listener would reset them), and every answer says
    // Connection: close. Then the listener closes, requests in flight finish,
    // and keep-alive connections with nothing in progress are closed.
    setTimeout(() => {
      server.close(async () => {
        await shutdownApp();
        log('info', 'stopped');
        process.exit(0);
      });
      server.closeIdleConnections();
      setInterval(() => server.closeIdleConnections(), 250).unref();
    }, 1_000).unref();
    setTimeout(() => {
      log('warn', 'forced shutdown after 10 s');
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => close('SIGTERM'));
  process.on('SIGINT', () => close('SIGINT'));
  return server;
}
