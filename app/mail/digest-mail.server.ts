// The office's daily digest (OFFICE_MAIL_MODE=digest|both): new opinions by
// notice and section, then those due within three working days and those
// overdue, each with its responsible unit and a link to its staff page; in
// OFFICE_LANG.
import type { Language } from '../../db/schema';
import type { DigestList, DigestOpinion } from '~/models/digests.server';
import { formatTarget } from '~/utils/format';
import { formatDate } from '~/utils/local-time';
import { composeMail, mailDateTime, mailWords, type MailBlock, type MailWords, type RenderedMail } from './envelope.server';
import type { NoticeTitles } from './notice-titles.server';

export const EXCERPT_LENGTH = 120;

/** The first 120 characters (code points) of an opinion, on one line. */
export function excerpt(body: string, length = EXCERPT_LENGTH): string {
  const chars = Array.from(body.replace(/\s+/g, ' ').trim());
  return chars.length > length ? `${chars.slice(0, length).join('')}…` : chars.join('');
}

export type DigestContext = {
  day: string;
  windowStart: string;
  windowEnd: string;
  fresh: DigestList;
  dueSoon: DigestList;
  overdue: DigestList;
  titles: NoticeTitles;
  publicUrl: string;
};

function unitName(o: DigestOpinion, w: MailWords): string {
  return o.unitName ?? w.t('staffMail.digest.noUnit');
}

function staffLink(publicUrl: string, o: DigestOpinion): string {
  return `${publicUrl}/staff/opinions/${o.id}`;
}

function more(list: DigestList, w: MailWords): MailBlock[] {
  const rest = list.total - list.opinions.length;
  return rest > 0 ? [{ kind: 'paragraph', text: w.t('staffMail.digest.more', { n: rest }) }] : [];
}

function newOpinionBlocks(c: DigestContext, w: MailWords): MailBlock[] {
  const { t } = w;
  const blocks: MailBlock[] = [{ kind: 'heading', text: t('staffMail.digest.fresh', { n: c.fresh.total }) }];
  if (c.fresh.total === 0) return [...blocks, { kind: 'paragraph', text: t('staffMail.digest.freshNone') }];
  let group = '';
  for (const o of c.fresh.opinions) {
    const target = c.titles.target(o);
    const heading = t('staffMail.digest.group', {
      notice: c.titles.title(o.reportId),
      target: formatTarget({ sectionNumber: target.sectionNumber, sectionTitle: target.sectionTitle }, 'long', t),
    });
    if (heading !== group) {
      group = heading;
      blocks.push({ kind: 'paragraph', text: heading });
    }
    blocks.push({
      kind: 'paragraph',
      text: [
        t('staffMail.digest.freshLine', { number: o.trackingNumber, target: formatTarget(target, 'short', t), unit: unitName(o, w) }),
        excerpt(o.body),
        staffLink(c.publicUrl, o),
      ].join('\n'),
    });
  }
  return [...blocks, ...more(c.fresh, w)];
}

function deadlineBlocks(c: DigestContext, heading: string, list: DigestList, w: MailWords): MailBlock[] {
  if (list.total === 0) return [];
  const { t } = w;
  return [
    { kind: 'heading', text: t(heading, { n: list.total }) },
    ...list.opinions.map(
      (o): MailBlock => ({
        kind: 'paragraph',
        text: [
          t('staffMail.digest.deadlineLine', {
            number: o.trackingNumber,
            target: formatTarget(c.titles.target(o), 'short', t),
            date: formatDate(o.dueAt, w.locale),
            unit: unitName(o, w),
          }),
          excerpt(o.body),
          staffLink(c.publicUrl, o),
        ].join('\n'),
      }),
    ),
    ...more(list, w),
  ];
}

export function officeDigest(c: DigestContext, lng: Language = 'ja'): RenderedMail {
  const w = mailWords(lng);
  const { t } = w;
  const subject = t('staffMail.digest.subject', {
    date: formatDate(c.day, w.locale),
    fresh: c.fresh.total,
    dueSoon: c.dueSoon.total,
    overdue: c.overdue.total,
  });
  return composeMail(
    subject,
    [
      { kind: 'paragraph', text: t('staffMail.digest.lead', { from: mailDateTime(c.windowStart, w), to: mailDateTime(c.windowEnd, w) }) },
      ...newOpinionBlocks(c, w),
      ...deadlineBlocks(c, 'staffMail.digest.dueSoon', c.dueSoon, w),
      ...deadlineBlocks(c, 'staffMail.digest.overdue', c.overdue, w),
      { kind: 'link', label: t('staffMail.digest.inboxLink'), href: `${c.publicUrl}/staff` },
    ],
    lng,
  );
}
