// Deadline mail: a unit's reminder three working days before an opinion's due
// date and on it, and the list of overdue opinions per unit for
// ESCALATION_EMAIL. Like the assignment notice (./unit-mail.server) they carry
// the opinion, never the writer's name or contact.
import { CHANNEL_LABELS, STATUS_LABELS } from '~/domain/labels';
import type { StageCandidate } from '~/models/mail-stages.server';
import { formatTarget } from '~/utils/format';
import { formatDate } from '~/utils/local-time';
import { excerpt } from './digest-mail.server';
import { composeMail, mailDateTime, mailDueDate, type RenderedMail } from './envelope.server';
import type { NoticeTitles } from './notice-titles.server';

export function unitReminder(stage: 'reminder_before' | 'reminder_due', o: StageCandidate, titles: NoticeTitles, publicUrl: string): RenderedMail {
  const dueDate = formatDate(o.dueAt);
  const subject = stage === 'reminder_due' ? `[本日が回答期限 ${o.trackingNumber}] ${o.unitName}` : `[回答期限 ${dueDate} ${o.trackingNumber}] ${o.unitName}`;
  const lead =
    stage === 'reminder_due'
      ? `次の意見の回答期限は本日(${dueDate})です。対応状況を職員画面で更新してください。`
      : `次の意見の回答期限(${dueDate})が3営業日後に迫っています。対応をお願いします。`;
  const target = titles.target(o);
  return composeMail(subject, [
    { kind: 'paragraph', text: `${o.unitName ?? ''} ご担当者様` },
    { kind: 'paragraph', text: lead },
    {
      kind: 'facts',
      rows: [
        ['受付番号', o.trackingNumber],
        ['対象', formatTarget(target)],
        ['受付日時', mailDateTime(o.receivedAt)],
        ['受付経路', CHANNEL_LABELS[o.channel]],
        ['回答期限', mailDueDate(o.dueAt)],
        ['状態', STATUS_LABELS[o.status]],
      ],
    },
    { kind: 'quote', title: '意見', text: o.body },
    { kind: 'link', label: '詳細と連絡先は職員画面で確認できます(サインインが必要です)', href: `${publicUrl}/staff/opinions/${o.id}` },
  ]);
}

export function overdueEscalation(unitName: string | null, opinions: StageCandidate[], titles: NoticeTitles, publicUrl: string): RenderedMail {
  const unit = unitName ?? '担当部署未定';
  return composeMail(`[期限超過 ${opinions.length}件] ${unit}`, [
    { kind: 'paragraph', text: `回答期限を過ぎても対応が終わっていない意見があります(${unit}、${opinions.length}件)。` },
    ...opinions.map((o) => ({
      kind: 'paragraph' as const,
      text: [
        `${o.trackingNumber} ${formatTarget(titles.target(o), 'short')} 回答期限:${formatDate(o.dueAt)} 状態:${STATUS_LABELS[o.status]}`,
        excerpt(o.body),
        `${publicUrl}/staff/opinions/${o.id}`,
      ].join('\n'),
    })),
  ]);
}
