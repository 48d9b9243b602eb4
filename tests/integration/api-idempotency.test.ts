// The Idempotency-Key records on their own: the cases an HTTP test cannot
// time (a first request still running, one that died mid-way, a key past its
// day), and the second lock on the opinion itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  hashApiRequest,
  idempotencyFormToken,
  releaseIdempotencyKey,
} from '~/models/api-idempotency.server';
import { receiveApiOpinion } from '~/models/api-opinions.server';
import { createApiToken } from '~/models/api-tokens.server';
import { parseApiOpinion } from '~/schemas/api';
import type { DB } from '~/server/db.server';
import { BUNDLED_SLUG, createTestDb } from '../helpers/db';

let db: DB;
let close: () => Promise<void>;
let tokenId: number;
const T0 = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeAll(async () => {
  ({ db, close } = await createTestDb());
  tokenId = (await createApiToken(db, { actor: null, actorLabel: 'test' }, { name: 'テスト', scope: 'write', rateLimitPerMinute: 60 })).token.id;
});
afterAll(async () => {
  await close?.();
});

describe('claimIdempotencyKey', () => {
  it('tells a second request that the first is still running, and lets a retry take over a claim left by a dead one', async () => {
    const hash = hashApiRequest('POST', '/api/v1/opinions', { a: 1 });
    expect(await claimIdempotencyKey(db, tokenId, 'running', hash, at(0))).toEqual({ kind: 'new' });
    expect(await claimIdempotencyKey(db, tokenId, 'running', hash, at(30_000))).toEqual({ kind: 'in_progress' });
    expect(await claimIdempotencyKey(db, tokenId, 'running', hash, at(61_000))).toEqual({ kind: 'new' });
    expect(await claimIdempotencyKey(db, tokenId, 'running', hashApiRequest('POST', '/api/v1/opinions', { a: 2 }), at(62_000))).toEqual({ kind: 'mismatch' });
  });

  it('replays a completed result, forgets it after a day, and frees a released key', async () => {
    const hash = hashApiRequest('POST', '/api/v1/opinions', { b: [1, { c: 2, d: 3 }] });
    expect(hashApiRequest('POST', '/api/v1/opinions', { b: [1, { d: 3, c: 2 }] })).toBe(hash);
    expect(await claimIdempotencyKey(db, tokenId, 'done', hash, at(0))).toEqual({ kind: 'new' });
    await completeIdempotencyKey(db, tokenId, 'done', 201, '{"trackingNumber":"XZ"}');
    await releaseIdempotencyKey(db, tokenId, 'done'); // a completed key is never released
    expect(await claimIdempotencyKey(db, tokenId, 'done', hash, at(1000))).toEqual({ kind: 'replay', status: 201, body: '{"trackingNumber":"XZ"}' });
    expect(await claimIdempotencyKey(db, tokenId, 'done', hashApiRequest('POST', '/x', {}), at(25 * 3600_000))).toEqual({ kind: 'new' });

    expect(await claimIdempotencyKey(db, tokenId, 'invalid', hash, at(0))).toEqual({ kind: 'new' });
    await releaseIdempotencyKey(db, tokenId, 'invalid');
    expect(await claimIdempotencyKey(db, tokenId, 'invalid', hashApiRequest('POST', '/x', { other: true }), at(1000))).toEqual({ kind: 'new' });
  });
});

describe('the opinion behind a key', () => {
  it('is stored once even when the key record was lost: the retry finds it by the derived form token', async () => {
    const parsed = parseApiOpinion({
      report: BUNDLED_SLUG,
      section: 1,
      body: '同じキーで二度届いた意見です。一件だけ保存されるはずです。',
      channel: 'api',
      receivedAt: new Date().toISOString(),
      consent: true,
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
    const formToken = idempotencyFormToken(tokenId, 'crash-key');
    expect(formToken).toMatch(/^[A-Za-z0-9_-]{8,80}$/);
    const first = await receiveApiOpinion(db, parsed.data, { formToken });
    const retry = await receiveApiOpinion(db, parsed.data, { formToken });
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(retry).toMatchObject({ ok: true, duplicate: true });
    if (!first.ok || !retry.ok) throw new Error('not stored');
    expect(retry.trackingNumber).toBe(first.trackingNumber);
    const rows = await db.selectFrom('opinions').select('id').where('body', '=', parsed.data.body).execute();
    expect(rows).toHaveLength(1);
  });
});
