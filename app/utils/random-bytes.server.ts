// Random bytes from the CSPRNG, drawn 4 KB at a time. On this machine every
// call into OpenSSL costs ~4 µs whatever its size (8 bytes 3.8–4.2 µs, 4,096
// bytes 4.5–5.9 µs), and an opinion made some ten of them: its tracking
// number, its receipt token, its page's nonce, and nodemailer's boundaries for
// its two mails (~3 % of an opinion thread's time). Node's randomUUID keeps
// such a cache for the same reason. Each byte is handed out once; each thread
// has its own pool (a module instance per thread).
import crypto from 'node:crypto';

const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** `size` random bytes (a fresh Buffer), as `crypto.randomBytes(size)` would give. */
export function randomBytes(size: number): Buffer {
  if (size > POOL_SIZE / 4) return crypto.randomBytes(size);
  if (offset + size > POOL_SIZE) {
    crypto.randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  // Nothing handed out stays behind in the pool.
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
