// The office's daily digest (OFFICE_MAIL_MODE=digest|both): new opinions by
// notice and section, then those due within three working days and those
// overdue, each with its responsible unit and a link to its staff page.
import type { DigestList, DigestOpinion } from '~/models/digests.server';
import { formatTarget } from '~/utils/format';
import { formatDate } from '~/utils/local-time';
import { composeMail, mailDateTime, type MailBlock, type RenderedMail } from './envelope.server';
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

function unitLine(o: DigestOpinion): string {
  return `担当部署:${o.unitName ?? '未定'}`;
}

function staffLink(publicUrl: string, o: DigestOpinion): string {
  return `${publicUrl}/staff/opinions/${o.id}`;
}

function more(list: DigestList): MailBlock[] {
  const rest = list.total - list.opinions.length;
  return rest > 0 ? [{ kind: 'paragraph', text: `ほか${rest}件は職員画面の受付一覧でご覧ください。` }] : [];
}

function newOpinionBlocks(c: DigestContext): MailBlock[] {
  const blocks: MailBlock[] = [{ kind: 'heading', text: `新しい意見(${c.fresh.total}件)` }];
  if (c.fresh.total === 0) return [...blocks, { kind: 'paragraph', text: '前回のまとめ以降、新しい意見はありません。' }];
  let group = '';
  for (const o of c.fresh.opinions) {
    const target = c.titles.target(o);
    const heading = `${c.titles.title(o.reportId)} ／ ${formatTarget({ sectionNumber: target.sectionNumber, sectionTitle: target.sectionTitle })}`;
    if (heading !== group) {
      group = heading;
      blocks.push({ kind: 'paragraph', text: `■ ${heading}` });
    }
    blocks.push({
      kind: 'paragraph',
      text: [`${o.trackingNumber} ${formatTarget(target, 'short')} ${unitLine(o)}`, excerpt(o.body), staffLink(c.publicUrl, o)].join('\n'),
    });
  }
  return [...blocks, ...more(c.fresh)];
}

function deadlineBlocks(c: DigestContext, heading: string, list: DigestList): MailBlock[] {
  if (list.total === 0) return [];
  return [
    { kind: 'heading', text: `${heading}(${list.total}件)` },
    ...list.opinions.map(
      (o): MailBlock => ({
        kind: 'paragraph',
        text: [
          `${o.trackingNumber} ${formatTarget(c.titles.target(o), 'short')} 回答期限:${formatDate(o.dueAt)} ${unitLine(o)}`,
          excerpt(o.body),
          staffLink(c.publicUrl, o),
        ].join('\n'),
      }),
    ),
    ...more(list),
  ];
}

export function officeDigest(c: DigestContext): RenderedMail {
  const subject = `[意見箱 日次まとめ ${formatDate(c.day)}] 新着${c.fresh.total}件・期限間近${c.dueSoon.total}件・期限超過${c.overdue.total}件`;
  return composeMail(subject, [
    {
      kind: 'paragraph',
      text: `${mailDateTime(c.windowStart)}から${mailDateTime(c.windowEnd)}までに受け付けた意見と、回答期限が近い意見・過ぎた意見のまとめです。`,
    },
    ...newOpinionBlocks(c),
    ...deadlineBlocks(c, '回答期限が3営業日以内の意見', c.dueSoon),
    ...deadlineBlocks(c, '回答期限を過ぎた意見', c.overdue),
    { kind: 'link', label: '受付一覧(サインインが必要です)', href: `${c.publicUrl}/staff` },
  ]);
}
