// The message that tells a citizen their opinion has been answered, in the
// shared envelope (./envelope.server).
import { formatTarget } from '~/utils/format';
import type { Language } from '../../db/schema';
import { composeMail, contactBlocks, mailDateTime, mailWords, sendOnlyNote, type RenderedMail } from './envelope.server';

export type ReplyMailContext = {
  trackingNumber: string;
  reportTitle: string;
  sectionNumber: number;
  itemNumber: number | null;
  receivedAt: string;
  replyBody: string;
  /** Where the reply is published (with its #reply-<id> anchor). */
  replyUrl: string;
  trackUrl: string;
  contactPhone: string;
  contactMailbox: string;
  /** True when an edited reply is sent again (再通知). */
  updated: boolean;
};

/** In the language of the page the opinion was sent from. */
export function replyNotification(c: ReplyMailContext, lng: Language = 'ja'): RenderedMail {
  const w = mailWords(lng);
  const { t } = w;
  const subject = c.updated ? t('reply.subjectUpdated', { number: c.trackingNumber }) : t('reply.subject', { number: c.trackingNumber });
  const lead = c.updated ? t('reply.leadUpdated') : t('reply.lead');
  return composeMail(
    subject,
    [
      { kind: 'paragraph', text: t('greeting') },
      { kind: 'paragraph', text: lead },
      {
        kind: 'facts',
        rows: [
          [t('trackingNumber'), c.trackingNumber],
          [t('notice'), c.reportTitle],
          [t('target'), formatTarget(c, 'short', t)],
          [t('receivedAt'), mailDateTime(c.receivedAt, w)],
        ],
      },
      { kind: 'quote', title: t('reply.answer'), text: c.replyBody },
      { kind: 'link', label: t('reply.link'), href: c.replyUrl },
      { kind: 'link', label: t('trackLink'), href: c.trackUrl },
      ...contactBlocks(c.contactPhone, c.contactMailbox, undefined, w),
      sendOnlyNote(w),
    ],
    lng,
  );
}
