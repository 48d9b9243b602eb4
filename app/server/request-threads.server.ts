// Opinion posts on threads of their own (docs/decisions/018-opinion-threads.md).
// An opinion costs ~3 ms of CPU (validation, the transaction, the mail it
// queues, rendering the answer); on the event loop every reader waited behind
// it. The main thread now reads the post's body and hands it to a thread that
// runs the same Remix build on database connections of its own; the answer
// comes back whole and goes out as any other. Everything two processes on one
// database already share (rate limits, double submissions, the outbox) is in
// the database, so a thread is one more writer, like a second instance.
import { Worker } from 'node:worker_threads';
import type { AppLoadContext } from '@remix-run/node';
import { log, logKey } from './request-log.server';
import { shippedFile } from './shipped-file.server';

/** What a thread's Remix gets as its load context: the main thread's, as it would have given Remix itself. */
export type ThreadContext = AppLoadContext;

export type ThreadRequest = {
  id: number;
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: Uint8Array | null;
  context: ThreadContext;
};

/**
 * A thread's answer as the main thread writes it: plain fields, not a
 * `Response` (building one, and reading its body back as a stream, was most
 * of what a post still cost the main thread besides the socket).
 */
export type ThreadResponse = { status: number; statusText: string; headers: Array<[string, string]>; body: Uint8Array | null };

export type ThreadAnswer = ({ id: number; body: ArrayBuffer | null } & Omit<ThreadResponse, 'body'>) | { id: number; error: string };

export type ThreadEvent = { event: 'ready' } | { event: 'failed'; error: string };

/** The posts a thread takes: opinions sent as a plain form (an upload form's multipart body streams to disk on the main thread). */
const THREAD_PATH = /^\/reports\/[^/?#]+\/opinions(?:\.data)?(?:\?|$)/;

export function isThreadRequest(method: string, url: string, contentType: string | undefined): boolean {
  return method === 'POST' && THREAD_PATH.test(url) && !/^multipart\//i.test(contentType ?? '');
}

/**
 * V8 heap limits of an opinion thread (decision 019). The build loaded in a
 * thread lives in ~25 MB; with the main thread's defaults its old generation
 * grew to 100+ MB under an opinion flood, far past its live objects. A lower
 * old-generation ceiling makes V8 grow it less eagerly. The young generation
 * is V8's default size for a main thread (48 MB, 16 MB semi-spaces): a
 * flood's garbage dies young, and with 4 MB semi-spaces the scavenges (and
 * the promotions they force) cost the process 2–20 % more CPU per opinion
 * (eight alternating pairs, twentieth session, decision 019). Reaching the old ceiling is an out-of-memory of the
 * thread: it is restarted and its posts answered 503 (decision 018).
 */
export const THREAD_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 96 } as const;

/** Statuses whose response has no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

type Pending = { resolve: (response: ThreadResponse) => void; reject: (error: Error) => void };

/** A thread that died answers its requests in flight with this (the post may or may not be stored). */
export class ThreadLostError extends Error {}

class RequestThread {
  readonly pending = new Map<number, Pending>();
  ready: Promise<void>;
  private worker!: Worker;
  /** The current worker has exited (and is being started again, or the pool is closing). */
  private exited = false;
  private stopped = false;

  constructor(
    private readonly file: URL,
    private readonly build: string,
    readonly index: number,
    private readonly onLost: (thread: RequestThread, wasReady: boolean) => void,
  ) {
    this.ready = this.start();
  }

  private start(): Promise<void> {
    const worker = new Worker(this.file, { workerData: { build: this.build, index: this.index, logKey: logKey() }, resourceLimits: THREAD_RESOURCE_LIMITS });
    this.worker = worker;
    this.exited = false;
    let wasReady = false;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: ThreadAnswer | ThreadEvent) => {
        if ('event' in m) {
          wasReady ||= m.event === 'ready';
          if (m.event === 'ready') resolve();
          else reject(new Error(`opinion thread ${this.index} failed to start: ${m.error}`));
          return;
        }
        const waiting = this.pending.get(m.id);
        if (!waiting) return;
        this.pending.delete(m.id);
        if ('error' in m) waiting.reject(new Error(m.error));
        else {
          const body = m.body && m.body.byteLength > 0 && !NULL_BODY.has(m.status) ? new Uint8Array(m.body) : null;
          waiting.resolve({ status: m.status, statusText: m.statusText, headers: m.headers, body });
        }
      });
      worker.on('error', (error) => {
        log('error', 'opinion thread failed', { thread: this.index, error: error.stack ?? String(error) });
        reject(error);
      });
      worker.on('exit', (code) => {
        if (this.worker !== worker) return;
        this.exited = true;
        const lost = [...this.pending.values()];
        this.pending.clear();
        for (const p of lost) p.reject(new ThreadLostError(`opinion thread ${this.index} exited (${code})`));
        // Gone before it was ready: whoever waits for it hears so.
        reject(new Error(`opinion thread ${this.index} exited (${code}) before it was ready`));
        this.onLost(this, wasReady);
      });
    });
  }

  /** Starts the thread again: at once, or after `delayMs` (a thread that could not start, so as not to spin). */
  restart(delayMs = 0): void {
    this.ready = delayMs
      ? new Promise<void>((resolve) => setTimeout(resolve, delayMs)).then(() => (this.stopped ? undefined : this.start()))
      : this.start();
    this.ready.catch((error) => log('error', 'opinion thread restart failed', { thread: this.index, error: String(error) }));
  }

  send(request: ThreadRequest): Promise<ThreadResponse> {
    return new Promise<ThreadResponse>((resolve, reject) => {
      if (this.stopped) return reject(new ThreadLostError(`opinion thread ${this.index} stopped`));
      this.pending.set(request.id, { resolve, reject });
      const transfer = request.body ? [request.body.buffer as ArrayBuffer] : [];
      this.worker.postMessage(request, transfer);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = null as unknown as Worker;
    if (!this.exited) {
      await new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage({ close: true });
      });
    }
    // The exit handler no longer answers for this worker: what it still held
    // (a page render asked for meanwhile) hears so here.
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const p of lost) p.reject(new ThreadLostError(`opinion thread ${this.index} stopped`));
  }
}

/**
 * A thread that died before it was ready is started again after this long, not
 * in a tight loop (the background writer thread too: db-background.server.ts).
 */
export const RESTART_AFTER_FAILED_START_MS = 1_000;

function threadFile(): URL {
  return shippedFile('request-thread.worker.mjs');
}

/**
 * The main thread's end: `count` threads, each loading the server build at
 * `build` (a file URL). A post goes to the thread with the fewest in flight.
 */
export class RequestThreads {
  private readonly threads: RequestThread[] = [];
  private nextId = 1;
  private closing = false;
  /** Every restart after a thread died, for the log and tests. */
  restarts = 0;

  constructor(build: string, count: number, file: URL = threadFile()) {
    for (let i = 1; i <= count; i++) {
      this.threads.push(
        new RequestThread(file, build, i, (thread, wasReady) => {
          if (this.closing) return;
          this.restarts++;
          log('warn', 'opinion thread exited; starting it again', { thread: thread.index, wasReady });
          thread.restart(wasReady ? 0 : RESTART_AFTER_FAILED_START_MS);
        }),
      );
    }
  }

  /** Resolves once every thread has opened the database and loaded the build. */
  async ready(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.ready));
  }

  /** Hands a post to the thread with the fewest in flight: its answer, and which thread gave it (for the request log). */
  async handle(
    parts: { url: string; method: string; headers: Array<[string, string]>; body: Buffer | undefined },
    context: ThreadContext,
  ): Promise<{ response: ThreadResponse; thread: number }> {
    const thread = this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    await thread.ready;
    // A copy the thread owns (the request's Buffer may share a pooled ArrayBuffer).
    const body = parts.body && parts.body.length > 0 ? new Uint8Array(parts.body) : null;
    const response = await thread.send({ id: this.nextId++, url: parts.url, method: parts.method, headers: parts.headers, body, context });
    return { response, thread: thread.index };
  }

  /**
   * Renders a cached page (a report's, the list) for the main thread's page cache on the least busy
   * thread (decision 015, amended): a render holds a core for ~100–200 ms
   * under load, and on the main thread every read of that moment waited
   * behind its pieces. `viewsPending` is the main thread's count of views not
   * yet written, which the page shows.
   */
  async renderForCache(url: string, headers: Array<[string, string]>, viewsPending: Record<number, number>): Promise<Response> {
    if (this.closing) throw new Error('the opinion threads are closing');
    const { response } = await this.handle(
      { url, method: 'GET', headers, body: undefined },
      { cspNonce: '', clientIp: '127.0.0.1', renderForCache: true, viewsPending },
    );
    return new Response(response.body as Uint8Array<ArrayBuffer> | null, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /** After the server has stopped taking requests: each thread closes its database and exits. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.stop()));
  }
}
