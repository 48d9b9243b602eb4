import { PassThrough } from 'node:stream';
import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { isRouteErrorResponse, RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { createRequestInstance, getLanguage } from './i18n/i18n.server';
import { coalescedWithoutNul } from './server/html-stream.server';
import { log, loggablePath } from './server/request-log.server';

// The production server (server.js) starts through this module, so that it
// shares one database connection and one set of caches with the routes.
export { startServer } from '~/server/http-server.server';
export { runRequestThread } from '~/server/request-thread-run.server';

export const streamTimeout = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // Bots and no-JS readers get the whole document at once.
  const waitForAll = isbot(request.headers.get('user-agent') ?? '');
  // Every catalog is in memory on the server; the browser fetches only the
  // namespaces its routes declare (handle.i18n) before hydrating.
  const i18n = createRequestInstance(await getLanguage(request));
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </I18nextProvider>,
      {
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true;
          const body = new PassThrough();
          const output = coalescedWithoutNul();
          body.pipe(output);
          const stream = createReadableStreamFromReadable(output);
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Thrown responses (404, 405, 429 …) are answers, not errors.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  log('error', 'unhandled', { ...loggablePath(new URL(request.url).pathname), error: error instanceof Error ? error.stack : String(error) });
}
