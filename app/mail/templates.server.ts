// The messages an opinion causes: one to the office, one to the citizen when
// an email address was given (and the cap on acknowledgements to that address,
// ./ack-limit.server, allows). Built from blocks (./envelope.server), so text
// and HTML carry the same content and what a person typed is escaped.
//
// The acknowledgement goes to whatever address was typed, so it must be
// useless as a relay: it never greets with the typed name, and its copy of
// the opinion is cut at ACK_COPY_MAX characters and made unlinkable.
import type { Channel } from '../../db/schema';
import { formatTarget, sectionLabel } from '~/utils/format';
import { CHANNEL_LABELS } from '~/domain/labels';
import { ATTACHMENT_TYPE_LABELS, formatFileSize } from '~/schemas/attachment-rules';
import {
  composeMail,
  contactBlocks,
  excerpt,
  mailDateTime,
  mailDueDate,
  SEND_ONLY_NOTE,
  unlinkable,
  type MailBlock,
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
function attachmentBlocks(c: OpinionMailContext): MailBlock[] {
  const files = c.attachments ?? [];
  if (files.length === 0) return [];
  return [
    { kind: 'heading', text: `添付ファイル(${files.length}件、職員用画面でのみ開けます)` },
    { kind: 'facts', rows: files.map((f) => [f.name, `${ATTACHMENT_TYPE_LABELS[f.type] ?? f.type}、${formatFileSize(f.size)}`] as [string, string]) },
    ...files.map((f) => ({ kind: 'link', label: `「${f.name}」を開く`, href: `${c.publicUrl}/staff/attachments/${f.id}` }) satisfies MailBlock),
  ];
}

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
    ...attachmentBlocks(c),
    { kind: 'heading', text: '差出人(公開しないこと)' },
    {
      kind: 'facts',
      rows: [
        ['お名前', c.name ?? '(記入なし)'],
        ['メールアドレス', c.email ?? '(記入なし)'],
        ['電話番号', c.phone ?? '(記入なし)'],
      ],
    },
    ...(c.ackWithheldAfter !== null
      ? [
          {
            kind: 'paragraph',
            text: `※ 同じメールアドレスへの受付確認メールが24時間で上限(${c.ackWithheldAfter}通)に達しているため、この意見の受付確認メールは送っていません。意見は受け付けています。`,
          } satisfies MailBlock,
        ]
      : []),
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
  const copy = excerpt(c.body, ACK_COPY_MAX);
  const shown = unlinkable(copy.text);
  const notes = [
    copy.cut ? `${ACK_COPY_MAX}文字を超える部分は省略しています。` : '',
    shown !== copy.text ? 'URLやメールアドレスは、リンクにならないよう「[.]」「[at]」などに置き換えています。' : '',
  ].join('');
  const blocks: MailBlock[] = [
    // Never the typed name: whoever typed this address chose it.
    { kind: 'paragraph', text: 'ご意見をお寄せいただいた方へ' },
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
    { kind: 'quote', title: 'お寄せいただいた意見', text: shown },
    ...(notes ? [{ kind: 'paragraph', text: `※ ${notes}` } satisfies MailBlock] : []),
    { kind: 'paragraph', text: next },
    { kind: 'link', label: '受付番号で状況を確認できます', href: `${c.publicUrl}/track?number=${encodeURIComponent(c.trackingNumber)}` },
    ...contactBlocks(c.contactPhone, c.contactMailbox),
    SEND_ONLY_NOTE,
  ];
  return composeMail(`【意見箱】ご意見を受け付けました(受付番号 ${c.trackingNumber})`, blocks);
}
