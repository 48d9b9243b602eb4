// The message that tells a citizen their opinion has been answered, in the
// shared envelope (./envelope.server).
import { formatTarget } from '~/utils/format';
import { composeMail, contactBlocks, mailDateTime, SEND_ONLY_NOTE, type RenderedMail } from './envelope.server';

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

export function replyNotification(c: ReplyMailContext): RenderedMail {
  const subject = c.updated
    ? `【意見箱】ご意見への回答を更新しました(受付番号 ${c.trackingNumber})`
    : `【意見箱】ご意見への回答を掲載しました(受付番号 ${c.trackingNumber})`;
  const lead = c.updated
    ? 'お寄せいただいたご意見への区からの回答を更新しましたので、お知らせします。'
    : 'お寄せいただいたご意見に、区からの回答を掲載しましたので、お知らせします。';
  return composeMail(subject, [
    { kind: 'paragraph', text: 'ご意見をお寄せいただいた方へ' },
    { kind: 'paragraph', text: lead },
    {
      kind: 'facts',
      rows: [
        ['受付番号', c.trackingNumber],
        ['通報', c.reportTitle],
        ['対象', formatTarget(c, 'short')],
        ['受付日時', mailDateTime(c.receivedAt)],
      ],
    },
    { kind: 'quote', title: '回答', text: c.replyBody },
    { kind: 'link', label: '回答の掲載ページ', href: c.replyUrl },
    { kind: 'link', label: '受付番号で状況を確認できます', href: c.trackUrl },
    ...contactBlocks(c.contactPhone, c.contactMailbox),
    SEND_ONLY_NOTE,
  ]);
}
