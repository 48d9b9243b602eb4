// The dashboard's 回答を公開した意見 counts replies that are public now
// (issue 18, item 2): publishing a reply adds one, withdrawing it takes it
// away again. The models run against a real migrated SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDashboard } from '~/models/dashboard.server';
import { createOpinion } from '~/models/opinions.server';
import { publishReply, saveReplyDraft, unpublishReply } from '~/models/replies-publish.server';
import type { StaffUser } from '~/server/session.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let reportId: number;
let moderator: StaffUser;

async function newOpinion(body: string): Promise<number> {
  const created = await createOpinion(t.db, {
    reportId,
    sectionNumber: 3,
    itemNumber: 1,
    body,
    name: null,
    email: null,
    phone: null,
    replyWanted: false,
    publicOk: true,
    consent: true,
    channel: 'web',
    receivedAt: new Date(Date.now() - 2 * 86_400_000),
    clientHash: null,
    userAgent: null,
    formToken: null,
    recordedById: null,
  });
  return created.id;
}

const reply = { body: 'ご意見ありがとうございます。案内表示を改善します。', showOpinion: false, redactedOpinion: null };

beforeAll(async () => {
  t = await createTestDb();
  reportId = (await t.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const user = await t.db
    .insertInto('users')
    .values({ email: 'mod@example.jp', display_name: '回答 担当', role: 'moderator', password_hash: 'x', created_at: new Date().toISOString(), last_login_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  moderator = { id: user.id, email: 'mod@example.jp', displayName: '回答 担当', role: 'moderator' };
});

afterAll(async () => {
  await t?.close();
});

describe('回答を公開した意見', () => {
  it('counts a reply while it is public, and not once it is withdrawn', async () => {
    const answered = await newOpinion('駐車場の案内表示が分かりにくいです。');
    const drafted = await newOpinion('歩道の段差を直してください。');
    expect((await getDashboard(t.db)).repliedCount).toBe(0);

    await saveReplyDraft(t.db, moderator, drafted, reply);
    expect((await getDashboard(t.db)).repliedCount).toBe(0); // a draft is not public

    await publishReply(t.db, moderator, answered, reply);
    const published = await getDashboard(t.db);
    expect(published.repliedCount).toBe(1);
    expect(published.medianDaysToReply).toBeGreaterThan(1.9);

    await unpublishReply(t.db, moderator, answered, '誤って公開したため');
    const withdrawn = await getDashboard(t.db);
    expect(withdrawn.repliedCount).toBe(0);
    // The office did answer then: the time to a first reply still counts.
    expect(withdrawn.medianDaysToReply).toBe(published.medianDaysToReply);

    await publishReply(t.db, moderator, answered, reply);
    expect((await getDashboard(t.db)).repliedCount).toBe(1);
  });
});
