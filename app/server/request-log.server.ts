// One JSON line per request and per event. Logs are kept and copied around
// more freely than the database, so what identifies a citizen never goes in:
// a receipt's path is logged as its route pattern with a hash of the token,
// and an email address anywhere in a field as a hash.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMainThread, workerData } from 'node:worker_threads';

/** Paths that carry a secret, and the pattern logged instead. */
const SECRET_PATHS: Array<[RegExp, string]> = [[/^\/receipts\/([^/]+)/, '/receipts/:token']];

/**
 * Keyed per process: a hash lets lines of one run be matched up, and cannot be
 * reversed by guessing addresses. An opinion thread is handed the main
 * thread's key (request-threads.server.ts), so its lines match the main
 * thread's and those of the thread started after it.
 */
const handedKey = isMainThread ? undefined : (workerData as { logKey?: Uint8Array } | null)?.logKey;
const LOG_KEY = handedKey ? Buffer.from(handedKey) : crypto.randomBytes(32);

/** The key a thread of this process hashes its log lines with. */
export function logKey(): Uint8Array {
  return LOG_KEY;
}

function shortHash(value: string): string {
  return crypto.createHmac('sha256', LOG_KEY).update(value).digest('hex').slice(0, 12);
}

/** The path as logged: without its query, and with any secret segment replaced by the route pattern. */
export function loggablePath(url: string): { path: string; ref?: string } {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  for (const [pattern, route] of SECRET_PATHS) {
    const m = pattern.exec(path);
    if (m) return { path: route, ref: shortHash(m[1]) };
  }
  return { path };
}

const EMAIL_RE = /[^\s@<>"'(),;:[\]\\]+@[^\s@<>"'(),;:[\]\\]+/g;
/** Fields whose `@` is not a person's address. */
const NOT_PERSONAL = new Set(['messageId', 'url', 'publicUrl']);

function scrub(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || NOT_PERSONAL.has(key)) return value;
  return value.replace(EMAIL_RE, (address) => `email:${shortHash(address.toLowerCase())}`);
}

/**
 * Lines for standard output, written once per turn of the event loop: a
 * write per request cost a fifth of the report page's time under a surge
 * (a system call each). On an opinion thread standard output is a message to
 * the main thread, which writes it: there the lines are gathered for
 * THREAD_FLUSH_MS (at 300 opinions/s a message per turn was ~5 % of the
 * thread's CPU). Warnings and errors go to standard error at once; what is
 * still buffered when the process (or thread) exits is written then.
 */
let buffered: string[] = [];
let flushScheduled = false;
const THREAD_FLUSH_MS = 100;

function flushStdout(): void {
  flushScheduled = false;
  if (buffered.length === 0) return;
  const chunk = buffered.join('');
  buffered = [];
  process.stdout.write(chunk);
}

function writeStdout(line: string): void {
  buffered.push(line);
  if (!flushScheduled) {
    flushScheduled = true;
    if (isMainThread) setImmediate(flushStdout);
    else setTimeout(flushStdout, THREAD_FLUSH_MS).unref();
  }
}

process.on('exit', flushStdout);

/** The time field, made once per millisecond (a surge finishes several responses in one). */
let stampMs = 0;
let stamp = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    stamp = JSON.stringify(new Date(now).toISOString());
  }
  return stamp;
}

/** A response an opinion thread answered carries the thread's number (decision 018). */
export type ThreadAnswered = ServerResponse & { thread?: number };

/**
 * One structured line per request, written when the response finishes. Put
 * together by hand (the same JSON, key for key, as JSON.stringify of
 * {time, level, msg, method, path, ref?, status, ms}): it is paid on every response.
 */
export function logRequest(req: IncomingMessage, res: ServerResponse, startedAt: bigint): void {
  const ms = Math.round(Number(process.hrtime.bigint() - startedAt) / 1e5) / 10;
  const { path, ref } = loggablePath(req.url ?? '');
  const { thread } = res as ThreadAnswered;
  writeStdout(
    `{"time":${isoNow()},"level":"info","msg":"request"` +
      (req.method === undefined ? '' : `,"method":${JSON.stringify(req.method)}`) +
      `,"path":${JSON.stringify(path)}` +
      (ref === undefined ? '' : `,"ref":${JSON.stringify(ref)}`) +
      `,"status":${res.statusCode},"ms":${ms}` +
      // The opinion thread that answered (decision 018).
      (thread === undefined ? '' : `,"thread":${thread}`) +
      '}\n',
  );
}

export function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, scrub) + '\n';
  if (level === 'info') writeStdout(line);
  else process.stderr.write(line);
}
