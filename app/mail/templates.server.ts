// The messages an opinion causes: one to the office, one to the citizen when
// an email address was given. Built from blocks (./envelope.server), so text
// and HTML carry the same content and what a person typed is escaped.
import type { Channel } from '../../db/schema';
import { formatTarget, sectionLabel } from '~/utils/format';
import { CHANNEL_LABELS } from '~/domain/labels';
import { composeMail, contactBlocks, mailDateTime, mailDueDate, SEND_ONLY_NOTE, type MailBlock, type RenderedMail } from './envelope.server';

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
};

function officeSubject(c: OpinionMailContext): string {
  return c.sectionNumber === 0 ? `[意見 ${c.trackingNumber}] 全体` : `[意見 ${c.trackingNumber}] ${sectionLabel(c.sectionNumber)} ${c.sectionTitle}`;
}

/** To the district office: everything needed to act on the opinion. */
export function officeNotification(c: OpinionMailContext): RenderedMail {
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: '意見箱に新しい意見が届きました。' },
    {
      kind: 'facts',
      rows: [
        ['受付番号', c.trackingNumber],
        ['通報', c.reportTitle],
        ['対象', formatTarget(c)],
        ['受付日時', mailDateTime(c.receivedAt)],
        ['受付経路', CHANNEL_LABELS[c.channel]],
        ['回答期限', mailDueDate(c.dueAt)],
        ['回答の希望', c.replyWanted ? 'あり' : 'なし'],
        ['意見の公開', c.publicOk ? '回答とあわせて公開してよい' : '公開しない'],
      ],
    },
    { kind: 'quote', title: '意見', text: c.body },
    { kind: 'heading', text: '差出人(公開しないこと)' },
    {
      kind: 'facts',
      rows: [
        ['お名前', c.name ?? '(記入なし)'],
        ['メールアドレス', c.email ?? '(記入なし)'],
        ['電話番号', c.phone ?? '(記入なし)'],
      ],
    },
    { kind: 'link', label: '職員用画面', href: `${c.publicUrl}/staff/opinions/${c.opinionId}` },
    ...contactBlocks(c.contactPhone, c.contactMailbox, '公表している窓口'),
  ];
  return composeMail(officeSubject(c), blocks);
}

/** To the citizen: the tracking number, a copy of the opinion, where to follow it. */
export function citizenAcknowledgement(c: OpinionMailContext): RenderedMail {
  const next = c.replyWanted
    ? '担当部署が内容を確認し、ご記入の連絡先へ回答します。'
    : '担当部署が内容を確認します。回答を公開した場合は、下記のページでご覧いただけます。';
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: c.name ? `${c.name} 様` : 'ご意見をお寄せいただいた方へ' },
    { kind: 'paragraph', text: 'ご意見をお寄せいただき、ありがとうございます。次の内容で受け付けました。' },
    {
      kind: 'facts',
      rows: [
        ['受付番号', c.trackingNumber],
        ['通報', c.reportTitle],
        ['対象', formatTarget(c)],
        ['受付日時', mailDateTime(c.receivedAt)],
      ],
    },
    { kind: 'quote', title: 'お寄せいただいた意見', text: c.body },
    { kind: 'paragraph', text: next },
    { kind: 'link', label: '受付番号で状況を確認できます', href: `${c.publicUrl}/track?number=${encodeURIComponent(c.trackingNumber)}` },
    ...contactBlocks(c.contactPhone, c.contactMailbox),
    SEND_ONLY_NOTE,
  ];
  return composeMail(`【意見箱】ご意見を受け付けました(受付番号 ${c.trackingNumber})`, blocks);
}
