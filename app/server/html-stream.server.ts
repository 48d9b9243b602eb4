// The rendered HTML on its way from React to the response body.
import { Transform } from 'node:stream';

/**
 * React 18's streaming renderer copies whole 2 KB chunks even when a 3-byte
 * character did not fit at the end, leaving NUL bytes in the middle of Japanese
 * text (fixed in React 19). NUL is never valid in our HTML, so drop it.
 *
 * And what React writes in one turn of the event loop (the whole shell, or a
 * resolved boundary) goes on as one chunk: each chunk is flushed through the
 * compression stream on its own (writeBody), and 45 sync flushes of 2 KB cost
 * a staff page three times the compression of the whole of it at once.
 */
export function coalescedWithoutNul(): Transform {
  let pending: Buffer[] = [];
  let scheduled = false;
  const flushPending = (stream: Transform) => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunk = pending.length === 1 ? pending[0] : Buffer.concat(pending);
    pending = [];
    stream.push(chunk);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      pending.push(withoutNul(chunk));
      if (!scheduled) {
        scheduled = true;
        setImmediate(flushPending, this);
      }
      callback();
    },
    flush(callback) {
      flushPending(this);
      callback();
    },
  });
}

function withoutNul(chunk: Buffer): Buffer {
  if (chunk.indexOf(0) === -1) return chunk;
  const out = Buffer.allocUnsafe(chunk.length);
  let n = 0;
  for (const byte of chunk) if (byte !== 0) out[n++] = byte;
  return out.subarray(0, n);
}
