// The message that tells a responsible unit it has been given an opinion, in
// the shared envelope (./envelope.server). The citizen's name and contact stay
// on the staff page: the mail carries only the opinion.
import type { Channel } from '../../db/schema';
import { CHANNEL_LABELS } from '~/domain/labels';
import { formatTarget, type Target } from '~/utils/format';
import { composeMail, mailDateTime, mailDueDate, type RenderedMail } from './envelope.server';

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

export function unitAssignmentNotification(c: UnitMailContext): RenderedMail {
  const subject = `[担当 ${c.trackingNumber}] ${formatTarget({ sectionNumber: c.target.sectionNumber, sectionTitle: c.target.sectionTitle })}`;
  return composeMail(subject, [
    { kind: 'paragraph', text: `${c.unitName} ご担当者様` },
    { kind: 'paragraph', text: '次の意見の担当に指定されました。内容を確認し、対応をお願いします。' },
    {
      kind: 'facts',
      rows: [
        ['受付番号', c.trackingNumber],
        ['対象', formatTarget(c.target)],
        ['受付日時', mailDateTime(c.receivedAt)],
        ['受付経路', CHANNEL_LABELS[c.channel]],
        ['回答期限', mailDueDate(c.dueAt)],
        ['担当部署', c.unitName],
        ['割り当てた職員', c.assignedBy],
      ],
    },
    { kind: 'quote', title: '意見', text: c.body },
    { kind: 'link', label: '詳細と連絡先は職員画面で確認できます(サインインが必要です)', href: `${c.publicUrl}/staff/opinions/${c.opinionId}` },
  ]);
}
