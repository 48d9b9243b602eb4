import type { Writable } from 'node:stream';

/**
 * Writes a response body as fast as the client reads it: the next chunk is
 * read (a streamed export's next batch queried) only once the socket has taken
 * the last one. Remix's writeReadableStreamToWritable ignores backpressure, so
 * a slow client made the whole export pile up in memory.
 */
export async function writeBody(body: ReadableStream<Uint8Array>, res: Writable & { flush?: () => void }): Promise<void> {
  const reader = body.getReader();
  // A client that goes away mid-body is normal, not a crash: whatever the
  // stream in front of the socket (compression) reports then is ignored.
  res.on('error', ignoreStreamError);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) throw new Error('client went away');
      const more = res.write(value);
      // Streamed HTML goes out as it is rendered, not when compression's buffer fills.
      res.flush?.();
      if (!more) await drained(res);
    }
    res.end();
  } catch (error) {
    // No reason: a reason would be re-emitted as an 'error' event on the Node stream
    // behind the body (React's render stream), which has no listener.
    await reader.cancel().catch(() => undefined);
    // The client left (the socket is closed): nothing more to do. Destroying it
    // again would make the compression stream in front of it emit an error.
    // Otherwise the body failed: cut the response so it cannot look complete.
    if (!res.destroyed) res.destroy();
  }
}

/** A body already whole in memory (an opinion thread's answer): written and ended at once. */
export function writeWholeBody(body: Uint8Array | null, res: Writable): void {
  res.on('error', ignoreStreamError);
  if (body) res.end(body);
  else res.end();
}

function drained(res: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('client went away'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

function ignoreStreamError(): void {}
