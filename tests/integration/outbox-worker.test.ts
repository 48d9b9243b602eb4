// The outbox worker gives way to the requests waiting on its thread
// (outbox.server.ts, startOutboxWorker; decision 018, twenty-sixth amendment):
// with a backlog it goes on at once while nothing waits, takes one batch per
// poll while posts keep coming, and drains the rest as soon as they are done.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueueMessage } from '~/mail/outbox.server';
import { startOutboxWorker, YIELD_CHECK_MS } from '~/mail/outbox-worker.server';
import { createTestDb } from '../helpers/db';
import { subjectTransport } from '../helpers/mail-transport';
import { waitFor } from '../helpers/http';

let t: Awaited<ReturnType<typeof createTestDb>>;
let sent: string[] = [];
const transport = subjectTransport((subject) => sent.push(subject));

/** A backlog of `n` due messages (more than two of the worker's batches of 50). */
async function backlog(n: number): Promise<void> {
  await t.db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++)
      await enqueueMessage(trx, { opinionId: null, kind: 'test', recipient: 'office@localhost', subject: `未送信 ${i}`, text: 'x', html: '<p>x</p>' });
  });
}

async function pending(): Promise<number> {
  const row = await t.db.selectFrom('outbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.deleteFrom('outbox_messages').execute();
  sent = [];
});

describe('the outbox worker under load', () => {
  it('drains a backlog batch after batch while no request waits, without waiting for the next poll', async () => {
    await backlog(120);
    const stop = startOutboxWorker(t.db, transport, { pollMs: 600_000, busy: () => false });
    try {
      await waitFor(() => sent.length === 120);
      expect(await pending()).toBe(0);
    } finally {
      await stop();
    }
  });

  it('takes one batch while posts wait, and the rest as soon as they are done', async () => {
    await backlog(120);
    let posts = true;
    const stop = startOutboxWorker(t.db, transport, { pollMs: 600_000, busy: () => posts });
    try {
      await waitFor(() => sent.length === 50);
      // Several looks at the thread, each finding posts still waiting.
      await pause(YIELD_CHECK_MS * 8);
      expect(sent).toHaveLength(50);
      expect(await pending()).toBe(70);
      posts = false;
      await waitFor(() => sent.length === 120);
      // Oldest first, each once.
      expect(sent).toEqual(Array.from({ length: 120 }, (_, i) => `未送信 ${i}`));
    } finally {
      await stop();
    }
  });

  it('still delivers a batch every poll while posts never stop, so mail is late but never starved', async () => {
    await backlog(120);
    const sentAt: number[] = [];
    const stop = startOutboxWorker(
      t.db,
      {
        ...transport,
        send: async (mail) => {
          await transport.send(mail);
          sentAt.push(Date.now());
        },
      },
      { pollMs: 1_000, busy: () => true },
    );
    try {
      await waitFor(() => sent.length === 120);
      expect(await pending()).toBe(0);
      // It gave way after each full batch: the next came a poll later, not at once.
      expect(sentAt[50] - sentAt[49]).toBeGreaterThanOrEqual(1_000 - YIELD_CHECK_MS);
      expect(sentAt[100] - sentAt[99]).toBeGreaterThanOrEqual(1_000 - YIELD_CHECK_MS);
    } finally {
      await stop();
    }
  });

  it('stops after the send in flight, leaving the rest pending for the next start', async () => {
    await backlog(120);
    let stopping: Promise<void> | undefined;
    // Nothing waits on the thread: without the stop the next batch would follow at once.
    const stop = startOutboxWorker(
      t.db,
      {
        ...transport,
        send: async (mail) => {
          await transport.send(mail);
          if (sent.length === 50) stopping = stop();
        },
      },
      { pollMs: 600_000, busy: () => false },
    );
    try {
      await waitFor(() => stopping !== undefined);
      await stopping;
      await pause(YIELD_CHECK_MS * 4);
      expect(sent).toHaveLength(50);
      expect(await pending()).toBe(70);
    } finally {
      await (stopping ?? stop());
    }
  });
});
