// Talking to the test server as a browser's plain HTML form would, and waiting
// for a condition instead of sleeping.
import net from 'node:net';

/** Fields to encode, or an already encoded body (a string or raw bytes, as a broken client might send). */
export type FormFields = Record<string, string> | URLSearchParams | Array<[string, string]> | string | Uint8Array<ArrayBuffer>;

export type PostFormOptions = {
  /** A "name=value" Cookie header (e.g. from signIn). */
  cookie?: string;
  /** Extra or overriding headers. */
  headers?: Record<string, string>;
  /** 'manual' unless told: tests look at the 303 itself. */
  redirect?: RequestRedirect;
  /** The Origin header; the target's own origin unless told, null to send none. */
  origin?: string | null;
  signal?: AbortSignal;
};

/** POSTs `fields` as application/x-www-form-urlencoded, from the same origin unless told. */
export function postForm(url: string, fields: FormFields, options: PostFormOptions = {}): Promise<Response> {
  const origin = options.origin === undefined ? new URL(url).origin : options.origin;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (origin !== null) headers.Origin = origin;
  if (options.cookie) headers.Cookie = options.cookie;
  return fetch(url, {
    method: 'POST',
    redirect: options.redirect ?? 'manual',
    headers: { ...headers, ...options.headers },
    body: typeof fields === 'string' || fields instanceof URLSearchParams || fields instanceof Uint8Array ? fields : new URLSearchParams(fields),
    signal: options.signal,
  });
}

/** The receipt token of a 303 to /receipts/<token>, or null. */
export function receiptToken(res: Response): string | null {
  if (res.status !== 303) return null;
  return /^\/receipts\/([A-Za-z0-9_-]+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? null;
}

export type WaitForOptions = {
  /** Give up after this many milliseconds (default 15 s). */
  timeout?: number;
  /** Check again after this many milliseconds (default 50). */
  interval?: number;
  /** Named in the timeout error (a function is asked at that moment). */
  message?: string | (() => string);
};

/**
 * Checks `condition` until it returns something truthy and returns that;
 * throws after `timeout` with `message` (and the last error the check threw).
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const { timeout = 15_000, interval = 50, message = 'the condition' } = options;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError ? `: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
      const what = typeof message === 'function' ? message() : message;
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Posts as a client busy sending (a browser mid-upload) does: declares
 * `declaredBytes`, sends `sendBytes` of it without reading anything, and only
 * then reads. Returns the raw answer ('' when the connection was reset: a
 * reset wipes an answer the client had not read yet) and the first write error.
 */
export async function postReadingLate(
  url: string,
  path: string,
  { headers, declaredBytes, sendBytes }: { headers: Record<string, string>; declaredBytes: number; sendBytes: number },
): Promise<{ answer: string; writeError: Error | null }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.pause();
  let writeError: Error | null = null;
  socket.on('error', (error) => (writeError ??= error));
  const head = Object.entries({ Host: `${hostname}:${port}`, ...headers, 'Content-Length': String(declaredBytes) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
  const chunk = Buffer.alloc(256 * 1024, 0x41);
  for (let sent = 0; sent < sendBytes && !writeError; sent += chunk.length) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
  }
  const answer = await new Promise<string>((resolve) => {
    if (socket.destroyed) return resolve('');
    const parts: Buffer[] = [];
    socket.on('data', (data: Buffer) => parts.push(data));
    socket.once('close', () => resolve(Buffer.concat(parts).toString('utf8')));
    socket.resume();
  });
  return { answer, writeError };
}
