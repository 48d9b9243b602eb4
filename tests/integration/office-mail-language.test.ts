// The office's and the units' mail is worded in OFFICE_LANG (issue #14): the
// unit-assignment notice, the deadline reminder, the escalation and the daily
// digest, queued by the real code against a real database, delivered through
// the outbox to a real SMTP server and read back with mailparser. Outside the
// notice's titles, the opinion and the unit's name (data), no kana is left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
process.env.OFFICE_LANG = 'en';
process.env.OFFICE_MAIL_MODE = 'both';
import type { Language } from '../../db/schema';
import type { OfficeMailConfig } from '~/mail/digest.server';
import { runOfficeMail } from '~/mail/reminders.server';
import { deliverDueMessages } from '~/mail/outbox-delivery.server';
import { createMailTransport } from '~/mail/transport.server';
import { unitAssignmentNotification } from '~/mail/unit-mail.server';
import { enqueueMessage } from '~/mail/outbox.server';
import { assignOpinion } from '~/models/opinion-admin.server';
import { createOpinion } from '~/models/opinions.server';
import { getReportContacts, getSectionTitles } from '~/models/reports.server';
import { createUser } from '~/models/users.server';
import type { DB } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { quoteTitle } from '~/utils/format';
import { generatePassword } from '~/utils/password.server';
import { createTestDb } from '../helpers/db';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /\p{Script=Han}/u;
const PUBLIC_URL = 'https://ikenbako.example.org';
// Wednesday 2 December 2026, 09:00 in Shanghai: the digest's hour; Monday 7 December is three working days on.
const WED_0900 = new Date('2026-12-02T01:00:00Z');
const DUE_MONDAY = '2026-12-07T15:59:59.999Z';
const OVERDUE = '2026-11-30T15:59:59.999Z';
const BODY_SOON = '駐輪場の案内表示を増やしてほしいです。';
const BODY_LATE = 'バス停の屋根が壊れたままになっています。';

const WORDS: Record<Exclude<Language, 'ja'>, { unit: string; assigned: RegExp; reminder: RegExp; escalation: RegExp; digest: RegExp; status: string }> = {
  en: {
    unit: 'Planning Section',
    assigned: /^\[Assigned XZ-/,
    reminder: /^\[Reply due 7 December 2026 XZ-/,
    escalation: /^\[Overdue: 1\] Planning Section$/,
    digest: /^\[Comment Box daily summary 2 December 2026\] New: 2 · Due soon: 1 · Overdue: 1$/,
    status: 'Status: In progress',
  },
  'zh-Hans': {
    unit: '规划科',
    assigned: /^\[承办 XZ-/,
    reminder: /^\[答复期限 2026年12月7日 XZ-/,
    escalation: /^\[已超期 1件\] 规划科$/,
    digest: /^\[意见箱 每日汇总 2026年12月2日\] 新收2件，即将到期1件，已超期1件$/,
    status: '状态：处理中',
  },
};

describe.each(['en', 'zh-Hans'] as const)('office mail in OFFICE_LANG=%s', (lng) => {
  const words = WORDS[lng];
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let db: DB;
  let smtp: TestSmtp;
  let data: string[];
  let mails: ParsedMail[];

  async function addOpinion(body: string, dueAt: string, unitId: number | null) {
    const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
    const created = await createOpinion(db, {
      reportId,
      sectionNumber: 3,
      itemNumber: 1,
      body,
      name: null,
      email: null,
      phone: null,
      replyWanted: false,
      publicOk: false,
      consent: true,
      channel: 'web',
      receivedAt: new Date('2026-12-01T12:00:00Z'),
      clientHash: null,
      userAgent: null,
      formToken: null,
      recordedById: null,
    });
    await db
      .updateTable('opinions')
      .set({ created_at: '2026-12-01T12:00:00.000Z', due_at: dueAt, status: 'in_progress', unit_id: unitId })
      .where('id', '=', created.id)
      .execute();
    return { id: created.id, reportId };
  }

  beforeAll(async () => {
    t = await createTestDb();
    db = t.db;
    smtp = await startTestSmtp();
    const unitId = (
      await db.insertInto('units').values({ name: words.unit, email: 'unit@example.gov', retired_at: null, created_at: '2026-01-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow()
    ).id;
    const actor = await createUser(db, { email: `lead-${lng}@example.gov`, displayName: 'Li Wei', role: 'staff', password: generatePassword() });
    const soon = await addOpinion(BODY_SOON, DUE_MONDAY, null);
    await addOpinion(BODY_LATE, OVERDUE, unitId);

    if (lng === getEnv().OFFICE_LANG) {
      // Through the staff action: the model reads OFFICE_LANG itself.
      expect(await assignOpinion(db, { id: actor.id, email: actor.email, displayName: 'Li Wei', role: 'staff' }, soon.id, { unitId, assigneeId: null })).toBe(true);
    } else {
      // OFFICE_LANG is read once per process: the other language goes through the template the model calls.
      await db.updateTable('opinions').set({ unit_id: unitId }).where('id', '=', soon.id).execute();
      const row = await db.selectFrom('opinions').selectAll().where('id', '=', soon.id).executeTakeFirstOrThrow();
      const mail = unitAssignmentNotification(
        {
          opinionId: row.id,
          trackingNumber: row.tracking_number,
          target: { sectionNumber: 3, sectionTitle: (await getSectionTitles(db, soon.reportId)).get(3)?.title ?? null, itemNumber: 1, itemHeading: null },
          body: row.body,
          channel: row.channel,
          receivedAt: row.received_at,
          dueAt: row.due_at,
          unitName: words.unit,
          assignedBy: 'Li Wei',
          publicUrl: PUBLIC_URL,
        },
        lng,
      );
      await db.transaction().execute((trx) => enqueueMessage(trx, { opinionId: row.id, kind: 'unit_assignment', recipient: 'unit@example.gov', ...mail }));
    }

    const config: OfficeMailConfig = { ...getEnv(), OFFICE_LANG: lng, DIGEST_HOUR: 9, ESCALATION_EMAIL: 'chief@example.gov', PUBLIC_URL, OFFICE_EMAIL: ['office@example.gov'] };
    const outcome = await runOfficeMail(db, WED_0900, config);
    expect(outcome.digest.status).toBe('sent');
    expect(outcome.reminders).toEqual({ reminderBefore: 1, reminderDue: 0, escalations: 1 });

    const transport = createMailTransport({ smtpUrl: smtp.url });
    try {
      const queued = await db.selectFrom('outbox_messages').select('id').where('status', '=', 'pending').execute();
      const result = await deliverDueMessages(db, transport, new Date('2030-01-01T00:00:00Z'));
      expect(result.sent).toBe(queued.length);
    } finally {
      transport.close();
    }
    mails = await smtp.waitFor(4);

    // Data that stays as it was written: the notice's titles and the opinions.
    const titles = await getSectionTitles(db, soon.reportId);
    data = [
      (await getReportContacts(db, soon.reportId))?.title ?? '',
      ...[...titles.values()].flatMap((s) => [s.title, ...s.items.values()]),
      BODY_SOON,
      BODY_LATE,
    ]
      .filter((s) => s.length > 0)
      // As a title is quoted (formatTarget): 「」 inside it become 『』, a final full stop goes.
      .flatMap((s) => [s, quoteTitle(s).slice(1, -1)])
      .sort((a, b) => b.length - a.length);
  });

  afterAll(async () => {
    await smtp?.stop();
    await t?.close();
  });

  function find(subject: RegExp): ParsedMail {
    const found = mails.filter((m) => subject.test(m.subject ?? ''));
    expect(found.map((m) => m.subject)).toHaveLength(1);
    return found[0];
  }

  function withoutData(text: string): string {
    return data.reduce((s, d) => s.split(d).join(''), text);
  }

  function expectInLanguage(mail: ParsedMail) {
    for (const part of [mail.subject ?? '', mail.text ?? '', String(mail.html)]) {
      const rest = withoutData(part);
      expect(rest, `kana in ${mail.subject}`).not.toMatch(KANA);
      if (lng === 'en') expect(rest.replace(words.unit, ''), `Han in ${mail.subject}`).not.toMatch(HAN);
    }
    expect(String(mail.html)).toContain(`<html lang="${lng}">`);
  }

  it('words the unit-assignment notice in OFFICE_LANG', () => {
    const mail = find(words.assigned);
    expectInLanguage(mail);
    expect(mail.text).toContain('Li Wei');
    expect(mail.text).toContain(BODY_SOON);
  });

  it('words the deadline reminder and the escalation in OFFICE_LANG', () => {
    const reminder = find(words.reminder);
    expectInLanguage(reminder);
    expect(reminder.text).toContain(BODY_SOON);
    const escalation = find(words.escalation);
    expectInLanguage(escalation);
    expect(escalation.text).toContain(words.status);
    expect(escalation.text).toContain(BODY_LATE);
  });

  it('words the daily digest in OFFICE_LANG', () => {
    const digest = find(words.digest);
    expectInLanguage(digest);
    expect(digest.text).toContain(`${PUBLIC_URL}/staff/opinions/`);
  });
});
