// A message whose every delivery was interrupted (the process died mid-send)
// ends as failed after OUTBOX_MAX_ATTEMPTS claims instead of being retried forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailTransport } from '~/mail/transport.server';
import { deliverDueMessages, enqueueMessage } from '~/mail/outbox.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
const sent: string[] = [];
const transport: MailTransport = {
  kind: 'file',
  send: async (mail) => {
    sent.push(mail.subject);
  },
  close: () => {},
};

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
});
