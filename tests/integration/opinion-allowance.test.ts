// The web form's per-client allowance is counted inside the opinion's own
// transaction (insertOpinion): only a stored opinion uses it up, posts sent at
// once from one client cannot pass it together, and a refused or failed one
// leaves no row, no mail and no hit behind. Runs on SQLite and in `npm run test:pg`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpinion, insertOpinion, prepareOpinion, type CreateOpinionInput } from '~/models/opinions.server';
import { runQueuedWrite } from '~/server/write-queue.server';
import { RateLimitExceeded } from '~/utils/rate-limit.server';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const opinion = (client: string, n: number, limit: number): CreateOpinionInput => ({
  reportId: 1,
  sectionNumber: 2,
  itemNumber: null,
  body: `同じ端末から送られた意見その${n}です。街灯を増やしてください。`,
  name: null,
  email: `${client}-${n}@example.jp`,
  phone: null,
  replyWanted: false,
  publicOk: false,
  consent: true,
  channel: 'web',
  receivedAt: new Date(),
  clientHash: client,
  userAgent: 'test',
  formToken: null,
  recordedById: null,
  allowance: { bucket: 'opinions', key: client, limit, windowMs: 600_000 },
});

async function storedFrom(client: string) {
  const rows = await t.db.selectFrom('opinions').select(['id', 'body']).where('client_hash', '=', client).execute();
  const mail = await t.db
    .selectFrom('outbox_messages')
    .select('opinion_id')
    .where('opinion_id', 'in', rows.length ? rows.map((r) => r.id) : [-1])
    .execute();
  const hit = await t.db
    .selectFrom('rate_limits')
    .select('count')
    .where('key', '=', `opinions:${client}`)
    .executeTakeFirst();
  return { opinions: rows.length, mail: mail.length, hits: hit ? Number(hit.count) : 0 };
}

describe("the sender's allowance, counted with the opinion", () => {
  it('of five sent at once with an allowance of three, three are stored and two refused with nothing written', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => createOpinion(t.db, opinion('client-burst', i, 3)))
    );
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(refused).toHaveLength(2);
    for (const error of refused) {
      expect(error).toBeInstanceOf(RateLimitExceeded);
      expect((error as RateLimitExceeded).retryAfterSeconds).toBeGreaterThan(0);
      expect((error as RateLimitExceeded).retryAfterSeconds).toBeLessThanOrEqual(600);
    }
    // Each stored opinion queued its office notification and its acknowledgement; the refused ones nothing.
    expect(await storedFrom('client-burst')).toEqual({ opinions: 3, mail: 6, hits: 3 });
  });

  it('an opinion whose transaction fails after its hit leaves the allowance as it was', async () => {
    expect((await createOpinion(t.db, opinion('client-fail', 1, 2))).duplicate).toBe(false);
    const prepared = await prepareOpinion(t.db, opinion('client-fail', 2, 2));
    await expect(
      runQueuedWrite(t.db, async (trx) => {
        await insertOpinion(trx, prepared);
        throw new Error('a later write of the same job failed');
      })
    ).rejects.toThrow('a later write of the same job failed');
    expect(await storedFrom('client-fail')).toEqual({ opinions: 1, mail: 2, hits: 1 });
    // The hit it took back is still there to use.
    expect((await createOpinion(t.db, opinion('client-fail', 3, 2))).duplicate).toBe(false);
    await expect(createOpinion(t.db, opinion('client-fail', 4, 2))).rejects.toBeInstanceOf(RateLimitExceeded);
    expect(await storedFrom('client-fail')).toEqual({ opinions: 2, mail: 4, hits: 2 });
  });

  it('an opinion without an allowance (staff, the intake API) counts nothing', async () => {
    const { allowance: _none, ...staffRecorded } = opinion('client-none', 1, 1);
    await createOpinion(t.db, staffRecorded);
    await createOpinion(t.db, { ...staffRecorded, body: `${staffRecorded.body}(二通目)` });
    expect(await storedFrom('client-none')).toEqual({ opinions: 2, mail: 4, hits: 0 });
  });
});
