import http from 'node:http';
import path from 'node:path';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { bootApp, shutdownApp } from './boot.server';
import { EnvError, getEnv } from './env.server';
import { log, logRequest } from './request-log.server';
import { refuseCrossOriginWrites } from './same-origin.server';
import { serveCachedReport } from './page-cache.server';
import { createNonce, securityHeaders } from './security-headers.server';

type NonceCarrier = http.IncomingMessage & { cspNonce: string };

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
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: env.NODE_ENV === 'production' ? 'production' : 'development',
      getLoadContext: (req) => ({
        cspNonce: (req as unknown as NonceCarrier).cspNonce,
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      }),
    }),
  );

  // Every response gets its nonce, security headers and log line here; the
  // report page is answered from its cache, everything else goes to Express.
  const server = http.createServer((req, res) => {
    const startedAt = process.hrtime.bigint();
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

  let closing = false;
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    log('info', 'shutting down', { signal });
    // Stop accepting; requests in flight finish; idle keep-alive sockets go now.
    server.close(async () => {
      await shutdownApp();
      log('info', 'stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      log('warn', 'forced shutdown after 10 s');
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => close('SIGTERM'));
  process.on('SIGINT', () => close('SIGINT'));
  return server;
}
