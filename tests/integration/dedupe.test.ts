// A double submission returns the first opinion; anything else that merely
// shares a form token or a client address is a new opinion, and nobody is ever
// handed another person's receipt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpinion, type CreateOpinionInput } from '~/models/opinions.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;

const base = (over: Partial<CreateOpinionInput> = {}): CreateOpinionInput => ({
  reportId: 1,
  sectionNumber: 3,
  itemNumber: null,
  body: '駐車場の整備について、夜間の照明を増やしてください。',
  name: null,
  email: null,
  phone: null,
  replyWanted: false,
  publicOk: false,
  consent: true,
  channel: 'web',
  receivedAt: new Date(),
  clientHash: 'client-a',
  userAgent: 'test',
  formToken: null,
  recordedById: null,
  ...over,
});

async function count() {
  return Number((await t.db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe('double submissions', () => {
  it('returns the first opinion for the same form render posted twice', async () => {
    const first = await createOpinion(t.db, base({ formToken: 'tok-1-3', name: '山田', email: 'yamada@example.jp' }));
    const again = await createOpinion(t.db, base({ formToken: 'tok-1-3', name: '山田', email: 'yamada@example.jp', clientHash: 'client-b' }));
    expect(again).toMatchObject({ duplicate: true, receiptToken: first.receiptToken });
  });

  it('stores a different text sent with a token already used (an old tab, a shared cache) as a new opinion', async () => {
    const before = await count();
    const other = await createOpinion(t.db, base({ formToken: 'tok-1-3', body: '別の人の、まったく別の意見です。公園の清掃について。', clientHash: 'client-c' }));
    expect(other.duplicate).toBe(false);
    expect(await count()).toBe(before + 1);
    const row = await t.db.selectFrom('opinions').select(['form_token']).where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(row.form_token).toBeNull();
  });

  it('returns the first opinion for the same text from the same client within 10 minutes', async () => {
    const first = await createOpinion(t.db, base({ clientHash: 'client-d' }));
    const again = await createOpinion(t.db, base({ clientHash: 'client-d' }));
    expect(again).toMatchObject({ duplicate: true, receiptToken: first.receiptToken });
  });

  it('keeps two people behind one address who paste the same text as two opinions', async () => {
    const a = await createOpinion(t.db, base({ clientHash: 'shared-nat', name: '佐藤', email: 'sato@example.jp' }));
    const b = await createOpinion(t.db, base({ clientHash: 'shared-nat', name: '鈴木', email: 'suzuki@example.jp' }));
    expect(b.duplicate).toBe(false);
    expect(b.receiptToken).not.toBe(a.receiptToken);
  });

  it('stores a resubmission that changes publicOk or replyWanted as a new opinion, keeping each choice (issue 11)', async () => {
    const first = await createOpinion(t.db, base({ formToken: 'tok-consent', clientHash: 'client-e', publicOk: true, email: 'e@example.jp' }));
    const withdrawn = await createOpinion(t.db, base({ formToken: 'tok-consent', clientHash: 'client-e', publicOk: false, email: 'e@example.jp' }));
    expect(withdrawn.duplicate).toBe(false);
    expect(withdrawn.id).not.toBe(first.id);
    const replyWanted = await createOpinion(t.db, base({ clientHash: 'client-e', publicOk: false, replyWanted: true, email: 'e@example.jp' }));
    expect(replyWanted.duplicate).toBe(false);
    const rows = await t.db.selectFrom('opinions').select(['id', 'public_ok', 'reply_wanted']).where('id', 'in', [first.id, withdrawn.id, replyWanted.id]).orderBy('id').execute();
    expect(rows.map((r) => [r.public_ok, r.reply_wanted])).toEqual([
      [1, 0],
      [0, 0],
      [0, 1],
    ]);
    // The same choices again are still a double submission.
    const again = await createOpinion(t.db, base({ clientHash: 'client-e', publicOk: false, replyWanted: true, email: 'e@example.jp' }));
    expect(again).toMatchObject({ duplicate: true, receiptToken: replyWanted.receiptToken });
  });
});
