// The message that tells a responsible unit it has been given an opinion, in
// the shared envelope (./envelope.server), in OFFICE_LANG. The citizen's name
// and contact stay on the staff page: the mail carries only the opinion.
import type { Channel, Language } from '../../db/schema';
import { formatTarget, type Target } from '~/utils/format';
import { composeMail, mailDateTime, mailDueDate, mailWords, type RenderedMail } from './envelope.server';

export type UnitMailContext = {
  opinionId: number;
  trackingNumber: string;
  target: Target;
  body: string;
  channel: Channel;
  receivedAt: string;
  dueAt: string;
  unitName: string;
  assignedBy: string;
  publicUrl: string;
};

export function unitAssignmentNotification(c: UnitMailContext, lng: Language = 'ja'): RenderedMail {
  const w = mailWords(lng);
  const { t } = w;
  const subject = t('staffMail.assignment.subject', {
    number: c.trackingNumber,
    target: formatTarget({ sectionNumber: c.target.sectionNumber, sectionTitle: c.target.sectionTitle }, 'long', t),
  });
  return composeMail(
    subject,
    [
      { kind: 'paragraph', text: t('staffMail.dear', { unit: c.unitName }) },
      { kind: 'paragraph', text: t('staffMail.assignment.lead') },
      {
        kind: 'facts',
        rows: [
          [t('trackingNumber'), c.trackingNumber],
          [t('target'), formatTarget(c.target, 'long', t)],
          [t('receivedAt'), mailDateTime(c.receivedAt, w)],
          [t('office.channel'), t(`staff:channel.${c.channel}`)],
          [t('office.due'), mailDueDate(c.dueAt, w)],
          [t('staffMail.unit'), c.unitName],
          [t('staffMail.assignment.assignedBy'), c.assignedBy],
        ],
      },
      { kind: 'quote', title: t('office.opinion'), text: c.body },
      { kind: 'link', label: t('staffMail.staffDetails'), href: `${c.publicUrl}/staff/opinions/${c.opinionId}` },
    ],
    lng,
  );
}
