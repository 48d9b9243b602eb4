// The request body, read before Remix runs: a form post whole and capped (413
// past the cap, in the reader's language), an upload form's multipart body as
// a stream to its action. Either way nothing unread is left on a keep-alive
// socket to be parsed as a next request.
import type { Socket } from 'node:net';
import type express from 'express';
import { tooLargeProblemBody } from './api-problem.server';
import { uploadBodyCap } from './attachment-upload.server';
import { getNodeRequestLanguage, getT } from '~/i18n/i18n.server';

type BodyCarrier = express.Request & { rawBody?: Buffer; streamBody?: ReadableStream<Uint8Array> };

/** Form posts are small; anything larger is refused before an action sees it. */
const MAX_BODY_BYTES = 64 * 1024;
/** Except the notices console's, which carries a notice (a file and/or a paste, 1 MB each; the action checks each). */
const NOTICE_FORM_PATH = /^\/staff\/notices(?:\/|$|\?)/;
const NOTICE_FORM_MAX_BYTES = 3 * 1024 * 1024;
/** The 413 page, answered before Remix runs, in the reader's language. */
async function tooLargePage(req: express.Request): Promise<string> {
  const lng = await getNodeRequestLanguage(req);
  const t = getT(lng);
  return `<!DOCTYPE html><html lang="${lng}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t('site.pageTitle', { title: t('errors.tooLarge.title') })}</title></head><body><main><h1>${t('errors.tooLarge.title')}</h1><p>${t('errors.tooLarge.body')}</p><p><a href="/">${t('errors.backToTop')}</a></p></main></body></html>`;
}

/** How long a connection closed while its request body may still be arriving goes on reading it. */
const LINGER_MS = 2_000;

/**
 * Answers this request with Connection: close, and closes as nginx's
 * lingering_close does: the answer and a FIN first, then whatever the client
 * still sends is read and discarded until it stops (or LINGER_MS). Node
 * destroys the socket at once instead; with a body still arriving, the kernel
 * answers those bytes with a reset, and a reset wipes the answer from the
 * client's buffer if it has not read it yet: a person mid-upload saw the
 * connection reset instead of the 413 page.
 */
function closeAfterAnswer(req: express.Request, res: express.Response): void {
  res.setHeader('Connection', 'close');
  req.socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.destroyed) return;
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    // The body nobody read (an action that refused it unread left it paused) flows into nothing.
    req.removeAllListeners('data');
    req.resume();
  };
}

/** The forms that may carry attachments: their multipart bodies stream to the action instead. */
const UPLOAD_FORM_PATH = /^\/(?:reports\/[^/?#]+\/opinions|staff\/opinions\/(?:new|\d{1,10}\/attachments))(?:\.data)?(?:\?|$)/;

function isUploadForm(req: express.Request): boolean {
  return req.method === 'POST' && UPLOAD_FORM_PATH.test(req.originalUrl) && /^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '');
}

/**
 * A multipart body for an upload form goes to the action as a stream (the
 * action's parser writes files to disk as they arrive), cut off just past the
 * largest such form may be (the parser refuses at that size itself). Whatever
 * the action left unread is discarded after the answer and the connection
 * closed, never parsed as a next request.
 */
function streamUploadBody(req: express.Request): ReadableStream<Uint8Array> {
  const cap = uploadBodyCap() + 64 * 1024;
  let size = 0;
  // Discards what nobody will read, keeping the socket to send the answer on.
  const discard = () => {
    req.off('data', onData);
    req.resume();
  };
  let onData: (chunk: Buffer) => void = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) {
          controller.error(new Error('request body too large'));
          discard();
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      };
      req.on('data', onData);
      req.on('end', () => {
        try {
          controller.close();
        } catch {
          // Already errored (too large) or cancelled.
        }
      });
      req.on('error', (error) => {
        try {
          controller.error(error);
        } catch {
          // Already closed.
        }
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      discard();
    },
  });
}

/**
 * Reads the whole request body before Remix runs. An action that answers
 * without reading the body (a redirect to sign-in, a 403, a 404) would
 * otherwise leave its unread bytes on a keep-alive socket, and the next request
 * on that connection would hang behind them.
 */
export function bufferBody(req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  if (isUploadForm(req)) {
    closeAfterAnswer(req, res);
    (req as BodyCarrier).streamBody = streamUploadBody(req);
    return next();
  }
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
      closeAfterAnswer(req, res);
      if (req.path.startsWith('/api/')) res.status(413).type('application/problem+json').send(tooLargeProblemBody(req.path));
      else {
        void tooLargePage(req).then((page) => {
          if (!res.headersSent) res.status(413).type('text/html; charset=utf-8').send(page);
        });
      }
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

/** What bufferBody kept of the request: the whole body, or the upload form's stream. */
export function bufferedBody(req: express.Request): { raw?: Buffer; stream?: ReadableStream<Uint8Array> } {
  return { raw: (req as BodyCarrier).rawBody, stream: (req as BodyCarrier).streamBody };
}
