// A message whose every delivery was interrupted (the process died mid-send)
// ends as failed after OUTBOX_MAX_ATTEMPTS claims instead of being retried forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailTransport } from '~/mail/transport.server';
import { deliverDueMessages } from '~/mail/outbox-delivery.server';
import { backoffDelayMs, enqueueMessage } from '~/mail/outbox.server';
import { createTestDb } from '../helpers/db';
import { subjectTransport } from '../helpers/mail-transport';

let t: Awaited<ReturnType<typeof createTestDb>>;
const sent: string[] = [];
const transport = subjectTransport((subject) => sent.push(subject));

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe('an outbox message interrupted on every attempt', () => {
  it('is marked failed once its claims reach the limit, and not sent again', async () => {
    await t.db.transaction().execute((trx) =>
      enqueueMessage(trx, { opinionId: null, kind: 'test', recipient: 'office@localhost', subject: '中断された送信', text: 'x', html: '<p>x</p>' }),
    );
    // Three claims with no outcome recorded, as if the process died during each send.
    await t.db.updateTable('outbox_messages').set({ attempts: 3 }).execute();
    const result = await deliverDueMessages(t.db, transport, new Date(Date.now() + 1000), { maxAttempts: 3 });
    expect(result).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(sent).toEqual([]);
    const row = await t.db.selectFrom('outbox_messages').select(['status', 'last_error']).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.last_error).toContain('interrupted');
  });

  it('is still sent while claims remain', async () => {
    await t.db.transaction().execute((trx) =>
      enqueueMessage(trx, { opinionId: null, kind: 'test', recipient: 'office@localhost', subject: 'まだ送れる', text: 'x', html: '<p>x</p>' }),
    );
    await t.db.updateTable('outbox_messages').set({ attempts: 2 }).where('status', '=', 'pending').execute();
    const result = await deliverDueMessages(t.db, transport, new Date(Date.now() + 1000), { maxAttempts: 3 });
    expect(result).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(sent).toEqual(['まだ送れる']);
  });

  it('claims a batch of messages with different attempts so far, each with its own next attempt, and fails the exhausted one', async () => {
    await t.db.deleteFrom('outbox_messages').execute();
    const ids: number[] = [];
    for (const subject of ['一度目', '二度目', '二度目も', '最後']) {
      const id = await t.db.transaction().execute((trx) =>
        enqueueMessage(trx, { opinionId: null, kind: 'test', recipient: 'office@localhost', subject, text: 'x', html: '<p>x</p>' }),
      );
      ids.push(id!);
    }
    const attemptsSoFar = [0, 1, 1, 5];
    for (const [i, id] of ids.entries()) await t.db.updateTable('outbox_messages').set({ attempts: attemptsSoFar[i] }).where('id', '=', id).execute();
    // Every send fails: what the claim wrote (attempts, next attempt) is what stays.
    const failing: MailTransport = { kind: 'file', send: async () => Promise.reject(new Error('450 try later')), close: () => {} };
    const now = new Date(Date.now() + 1000);
    const result = await deliverDueMessages(t.db, failing, now, { maxAttempts: 5 });
    expect(result).toEqual({ sent: 0, failed: 1, retried: 3 });
    const rows = await t.db.selectFrom('outbox_messages').select(['id', 'status', 'attempts', 'next_attempt_at', 'claimed_until']).orderBy('id').execute();
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 2],
      ['pending', 2],
      ['failed', 5],
    ]);
    for (const [i, expected] of [backoffDelayMs(1), backoffDelayMs(2), backoffDelayMs(2)].entries())
      expect(Date.parse(rows[i].next_attempt_at) - now.getTime()).toBe(expected);
    expect(backoffDelayMs(1)).not.toBe(backoffDelayMs(2));
    expect(rows.every((r) => r.claimed_until === null)).toBe(true);
  });
});
