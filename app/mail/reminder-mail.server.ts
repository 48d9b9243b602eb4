// Deadline mail: a unit's reminder three working days before an opinion's due
// date and on it, and the list of overdue opinions per unit for
// ESCALATION_EMAIL, in OFFICE_LANG. Like the assignment notice
// (./unit-mail.server) they carry the opinion, never the writer's name or contact.
import type { Language } from '../../db/schema';
import type { StageCandidate } from '~/models/mail-stages.server';
import { formatTarget } from '~/utils/format';
import { formatDate } from '~/utils/local-time';
import { excerpt } from './digest-mail.server';
import { composeMail, mailDateTime, mailDueDate, mailWords, type RenderedMail } from './envelope.server';
import type { NoticeTitles } from './notice-titles.server';

export function unitReminder(
  stage: 'reminder_before' | 'reminder_due',
  o: StageCandidate,
  titles: NoticeTitles,
  publicUrl: string,
  lng: Language = 'ja',
): RenderedMail {
  const w = mailWords(lng);
  const { t } = w;
  const dueDate = formatDate(o.dueAt, w.locale);
  const unit = o.unitName ?? '';
  const subject =
    stage === 'reminder_due'
      ? t('staffMail.reminder.subjectDue', { number: o.trackingNumber, unit })
      : t('staffMail.reminder.subjectBefore', { date: dueDate, number: o.trackingNumber, unit });
  const lead = t(stage === 'reminder_due' ? 'staffMail.reminder.leadDue' : 'staffMail.reminder.leadBefore', { date: dueDate });
  const target = titles.target(o);
  return composeMail(
    subject,
    [
      { kind: 'paragraph', text: t('staffMail.dear', { unit }) },
      { kind: 'paragraph', text: lead },
      {
        kind: 'facts',
        rows: [
          [t('trackingNumber'), o.trackingNumber],
          [t('target'), formatTarget(target, 'long', t)],
          [t('receivedAt'), mailDateTime(o.receivedAt, w)],
          [t('office.channel'), t(`staff:channel.${o.channel}`)],
          [t('office.due'), mailDueDate(o.dueAt, w)],
          [t('staffMail.status'), t(`staff:status.${o.status}`)],
        ],
      },
      { kind: 'quote', title: t('office.opinion'), text: o.body },
      { kind: 'link', label: t('staffMail.staffDetails'), href: `${publicUrl}/staff/opinions/${o.id}` },
    ],
    lng,
  );
}

export function overdueEscalation(
  unitName: string | null,
  opinions: StageCandidate[],
  titles: NoticeTitles,
  publicUrl: string,
  lng: Language = 'ja',
): RenderedMail {
  const w = mailWords(lng);
  const { t } = w;
  const unit = unitName ?? t('staffMail.escalation.noUnit');
  const n = opinions.length;
  return composeMail(
    t('staffMail.escalation.subject', { n, unit }),
    [
      { kind: 'paragraph', text: t('staffMail.escalation.lead', { n, unit }) },
      ...opinions.map((o) => ({
        kind: 'paragraph' as const,
        text: [
          t('staffMail.escalation.line', {
            number: o.trackingNumber,
            target: formatTarget(titles.target(o), 'short', t),
            date: formatDate(o.dueAt, w.locale),
            status: t(`staff:status.${o.status}`),
          }),
          excerpt(o.body),
          `${publicUrl}/staff/opinions/${o.id}`,
        ].join('\n'),
      })),
    ],
    lng,
  );
}
