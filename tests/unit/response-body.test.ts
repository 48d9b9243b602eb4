// A streamed response body is read only as fast as the client takes it, so a
// slow download of a large export never piles up in the server's memory.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeBody } from '~/server/response-body.server';

const CHUNK = 16 * 1024;
const CHUNKS = 200;

function countingBody() {
  const state = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === CHUNKS) return controller.close();
      state.pulled++;
      controller.enqueue(new Uint8Array(CHUNK).fill(65));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

/** Lets every pending callback run until nothing more happens. */
async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('writeBody', () => {
  it('reads the next chunk only when the client has taken the last ones', async () => {
    const { body, state } = countingBody();
    const client = new PassThrough({ highWaterMark: CHUNK });
    const done = writeBody(body, client);
    await settle();
    // Nobody reads: a few chunks fill the buffers, the rest stay unread at the source.
    expect(state.pulled).toBeGreaterThan(0);
    expect(state.pulled).toBeLessThan(6);
    expect(client.writableLength + client.readableLength).toBeLessThan(6 * CHUNK);

    let received = 0;
    client.on('data', (chunk: Buffer) => (received += chunk.length));
    await done;
    await new Promise((resolve) => client.once('end', resolve));
    expect(state.pulled).toBe(CHUNKS);
    expect(received).toBe(CHUNKS * CHUNK);
  });

  it('stops reading when the client goes away', async () => {
    const { body, state } = countingBody();
    const client = new PassThrough({ highWaterMark: CHUNK });
    const done = writeBody(body, client);
    await settle();
    client.destroy();
    await done;
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(6);
  });
});
