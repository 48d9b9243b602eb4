// The messages an opinion causes: one to the office, one to the citizen when
// an email address was given (and the cap on acknowledgements to that address,
// ./ack-limit.server, allows). Built from blocks (./envelope.server), so text
// and HTML carry the same content and what a person typed is escaped.
//
// The acknowledgement goes to whatever address was typed, so it must be
// useless as a relay: it never greets with the typed name, and its copy of
// the opinion is cut at ACK_COPY_MAX characters and made unlinkable.
import type { Channel, Language } from '../../db/schema';
import { formatTarget, type Translate } from '~/utils/format';
import { attachmentTypeLabel, formatFileSize } from '~/schemas/attachment-rules';
import {
  composeMail,
  contactBlocks,
  excerpt,
  mailDateTime,
  mailDueDate,
  mailWords,
  sendOnlyNote,
  unlinkable,
  type MailBlock,
  type MailWords,
  type RenderedMail,
} from './envelope.server';

/** How much of the opinion the acknowledgement quotes (code points). */
export const ACK_COPY_MAX = 500;

export type OpinionMailContext = {
  opinionId: number;
  trackingNumber: string;
  reportTitle: string;
  sectionNumber: number;
  sectionTitle: string;
  itemNumber: number | null;
  itemHeading: string | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  replyWanted: boolean;
  publicOk: boolean;
  channel: Channel;
  receivedAt: string;
  dueAt: string;
  contactPhone: string;
  contactMailbox: string;
  publicUrl: string;
  /** The acknowledgement was not sent: this many already went to the address in 24 hours. */
  ackWithheldAfter: number | null;
  /** Files that came with the opinion: listed for the office with staff links, never attached. */
  attachments?: ReadonlyArray<{ id: number; name: string; type: string; size: number }>;
};

/** The office's list of attachments: name, type and size, each with its staff link (the files stay on the server). */
function attachmentBlocks(c: OpinionMailContext, t: Translate): MailBlock[] {
  const files = c.attachments ?? [];
  if (files.length === 0) return [];
  return [
    { kind: 'heading', text: t('attachments:mail.heading', { n: files.length }) },
    { kind: 'facts', rows: files.map((f) => [f.name, t('attachments:mail.facts', { type: attachmentTypeLabel(f.type, t), size: formatFileSize(f.size, t) })] as [string, string]) },
    ...files.map((f) => ({ kind: 'link', label: t('attachments:mail.open', { name: f.name }), href: `${c.publicUrl}/staff/attachments/${f.id}` }) satisfies MailBlock),
  ];
}

function officeSubject(c: OpinionMailContext, w: MailWords): string {
  return c.sectionNumber === 0
    ? w.t('office.subjectWhole', { number: c.trackingNumber })
    : w.t('office.subject', { number: c.trackingNumber, section: formatTarget({ sectionNumber: c.sectionNumber }, 'short', w.t), title: c.sectionTitle });
}

/** To the district office, in OFFICE_LANG: everything needed to act on the opinion. */
export function officeNotification(c: OpinionMailContext, lng: Language = 'ja'): RenderedMail {
  const w = mailWords(lng);
  const { t } = w;
  const none = t('office.none');
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: t('office.lead') },
    {
      kind: 'facts',
      rows: [
        [t('trackingNumber'), c.trackingNumber],
        [t('notice'), c.reportTitle],
        [t('target'), formatTarget(c, 'long', t)],
        [t('receivedAt'), mailDateTime(c.receivedAt, w)],
        [t('office.channel'), t(`channel.${c.channel}`)],
        [t('office.due'), mailDueDate(c.dueAt, w)],
        [t('office.replyWanted'), c.replyWanted ? t('office.yes') : t('office.no')],
        [t('office.publicOk'), c.publicOk ? t('office.publicYes') : t('office.publicNo')],
      ],
    },
    { kind: 'quote', title: t('office.opinion'), text: c.body },
    ...attachmentBlocks(c, t),
    { kind: 'heading', text: t('office.sender') },
    {
      kind: 'facts',
      rows: [
        [t('office.name'), c.name ?? none],
        [t('office.email'), c.email ?? none],
        [t('office.phone'), c.phone ?? none],
      ],
    },
    ...(c.ackWithheldAfter !== null ? [{ kind: 'paragraph', text: t('office.ackWithheld', { count: c.ackWithheldAfter }) } satisfies MailBlock] : []),
    { kind: 'link', label: t('office.staffLink'), href: `${c.publicUrl}/staff/opinions/${c.opinionId}` },
    ...contactBlocks(c.contactPhone, c.contactMailbox, t('office.contacts'), w),
  ];
  return composeMail(officeSubject(c, w), blocks, lng);
}

/** To the citizen, in the language of the page they wrote from: the tracking number, a copy of the opinion, where to follow it. */
export function citizenAcknowledgement(c: OpinionMailContext, lng: Language = 'ja'): RenderedMail {
  const w = mailWords(lng);
  const { t } = w;
  const next = c.replyWanted ? t('ack.nextReply') : t('ack.nextNoReply');
  const copy = excerpt(c.body, ACK_COPY_MAX, w);
  const shown = unlinkable(copy.text);
  const notes = [copy.cut ? t('ack.cut', { max: ACK_COPY_MAX }) : '', shown !== copy.text ? t('ack.unlinked') : ''].join(lng === 'en' && copy.cut ? ' ' : '');
  const blocks: MailBlock[] = [
    // Never the typed name: whoever typed this address chose it.
    { kind: 'paragraph', text: t('greeting') },
    { kind: 'paragraph', text: t('ack.lead') },
    {
      kind: 'facts',
      rows: [
        [t('trackingNumber'), c.trackingNumber],
        [t('notice'), c.reportTitle],
        [t('target'), formatTarget(c, 'long', t)],
        [t('receivedAt'), mailDateTime(c.receivedAt, w)],
      ],
    },
    { kind: 'quote', title: t('ack.copy'), text: shown },
    ...(notes ? [{ kind: 'paragraph', text: t('note', { text: notes.trim() }) } satisfies MailBlock] : []),
    { kind: 'paragraph', text: next },
    { kind: 'link', label: t('trackLink'), href: `${c.publicUrl}/track?number=${encodeURIComponent(c.trackingNumber)}` },
    ...contactBlocks(c.contactPhone, c.contactMailbox, undefined, w),
    sendOnlyNote(w),
  ];
  return composeMail(t('ack.subject', { number: c.trackingNumber }), blocks, lng);
}
