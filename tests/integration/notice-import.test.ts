import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importNotice } from '~/models/notices.server';
import { getReportPage, listReports } from '~/models/reports.server';
import { NoticeParseError } from '~/domain/notice-parser.server';
import { UserError } from '~/utils/user-error.server';
import { BUNDLED_NOTICE_PATH, createTestDb } from '../helpers/db';

const original = fs.readFileSync(BUNDLED_NOTICE_PATH, 'utf8');
let t: Awaited<ReturnType<typeof createTestDb>>;

async function counts() {
  const n = async (table: 'reports' | 'report_revisions' | 'sections' | 'items') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { reports: await n('reports'), revisions: await n('report_revisions'), sections: await n('sections'), items: await n('items') };
}

beforeAll(async () => {
  t = await createTestDb({ withNotice: false });
});
afterAll(() => t.close());

describe('importNotice', () => {
  it('imports the bundled notice with 13 sections and 52 items', async () => {
    const result = await importNotice(t.db, original, 'xiuzhou');
    expect(result).toMatchObject({ status: 'created', revisionNo: 1, sections: 13, items: 52 });
    expect(await counts()).toEqual({ reports: 1, revisions: 1, sections: 13, items: 52 });
  });

  it('changes nothing when the same text is imported again', async () => {
    const result = await importNotice(t.db, original, 'xiuzhou');
    expect(result.status).toBe('unchanged');
    expect(await counts()).toEqual({ reports: 1, revisions: 1, sections: 13, items: 52 });
  });

  it('keeps the old revision and shows the latest when the text changes', async () => {
    const changed = original.replace('(一)政策支持を強化する。', '(一)政策支援を一層強化する。');
    const result = await importNotice(t.db, changed, 'xiuzhou');
    expect(result).toMatchObject({ status: 'revised', revisionNo: 2 });
    expect(await counts()).toEqual({ reports: 1, revisions: 2, sections: 26, items: 104 });
    const page = await getReportPage(t.db, 'xiuzhou');
    expect(page?.revisionNo).toBe(2);
    expect(page?.sections[0].items[0].heading).toBe('政策支援を一層強化する。');
  });

  it('refuses a malformed file and writes nothing', async () => {
    const before = await counts();
    const broken = original.replace('三、「区委員会は質の高い', '四、「区委員会は質の高い');
    await expect(importNotice(t.db, broken, 'broken')).rejects.toBeInstanceOf(NoticeParseError);
    await expect(importNotice(t.db, '', 'empty')).rejects.toThrow(/1行目/);
    await expect(importNotice(t.db, new Uint8Array([0xff, 0xfe, 0x80]), 'bytes')).rejects.toBeInstanceOf(NoticeParseError);
    expect(await counts()).toEqual(before);
  });

  it('refuses a slug that is not safe in a URL', async () => {
    await expect(importNotice(t.db, original, '../etc')).rejects.toThrow(/スラッグ/);
  });

  it('lists reports newest first', async () => {
    const older = original.replace('公開日:2023-07-0309:00', '公開日:2022-01-0509:00');
    await importNotice(t.db, older, 'older-notice');
    const list = await listReports(t.db);
    expect(list.map((r) => r.slug)).toEqual(['xiuzhou', 'older-notice']);
    expect(list[0]).toMatchObject({ publishedAt: '2023-07-03T09:00:00+08:00', sourceOffice: '秀洲区委員会弁公室' });
  });
});

describe('importNotice with a comment period (the path the console and --opens/--closes share)', () => {
  const OPENS = '2026-01-05T01:00:00.000Z';
  const CLOSES = '2026-02-05T09:00:00.000Z';

  it('stores the period with the new notice, and audits both', async () => {
    const result = await importNotice(t.db, original, 'with-period', { opensAt: OPENS, closesAt: CLOSES, actorLabel: 'cli' });
    const report = await t.db.selectFrom('reports').selectAll().where('id', '=', result.reportId).executeTakeFirstOrThrow();
    expect(report).toMatchObject({ opens_at: OPENS, closes_at: CLOSES, draft: 0 });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_label']).where('entity_id', '=', String(result.reportId)).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'notice.publish', actor_label: 'cli' },
      { action: 'notice.period', actor_label: 'cli' },
    ]);
  });

  it('changes only the period when the text is the same; null removes a bound, undefined keeps it', async () => {
    const result = await importNotice(t.db, original, 'with-period', { closesAt: null });
    expect(result.status).toBe('unchanged');
    const report = await t.db.selectFrom('reports').select(['opens_at', 'closes_at']).where('slug', '=', 'with-period').executeTakeFirstOrThrow();
    expect(report).toEqual({ opens_at: OPENS, closes_at: null });
  });

  it('refuses a close before the opening, a slug in use for a new notice, and an unknown one for a revision', async () => {
    const before = await counts();
    await expect(importNotice(t.db, original, 'backwards', { opensAt: CLOSES, closesAt: OPENS })).rejects.toThrow(/募集開始の日時より後/);
    await expect(importNotice(t.db, original, 'with-period', { mode: 'create' })).rejects.toMatchObject({ status: 409 });
    await expect(importNotice(t.db, original, 'no-such-notice', { mode: 'revise' })).rejects.toBeInstanceOf(UserError);
    expect(await counts()).toEqual(before);
  });

  it('keeps a draft off the public lists', async () => {
    await importNotice(t.db, original, 'a-draft', { draft: true });
    expect((await listReports(t.db)).map((r) => r.slug)).not.toContain('a-draft');
    expect(await getReportPage(t.db, 'a-draft')).toBeNull();
  });
});
