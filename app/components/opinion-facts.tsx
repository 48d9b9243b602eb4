// The facts of one opinion on its staff page: where it came from, who has
// it, its text and the writer's contact. Presentational.
import { Link } from '@remix-run/react';
import type { StaffOpinionView } from '~/models/opinion-detail.server';
import { OutsidePeriodMark } from '~/components/staff-text';
import { CHANNEL_LABELS } from '~/domain/labels';
import { REPLY_STATUS_LABELS } from '~/domain/labels';
import { formatTarget } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';

type Opinion = Pick<
  StaffOpinionView,
  | 'id'
  | 'report'
  | 'publicHref'
  | 'sectionNumber'
  | 'sectionTitle'
  | 'itemNumber'
  | 'itemHeading'
  | 'receivedAt'
  | 'outsidePeriod'
  | 'channel'
  | 'recordedBy'
  | 'unit'
  | 'assignee'
  | 'duplicateOf'
  | 'reply'
>;

function replyState(reply: Opinion['reply']): string {
  if (!reply) return 'なし';
  if (reply.status === 'published') return `公開済み(${reply.publishedAt ? formatDateTime(reply.publishedAt) : ''})`;
  return REPLY_STATUS_LABELS[reply.status];
}

export function OpinionFacts({ opinion: o, canReply }: { opinion: Opinion; canReply: boolean }) {
  return (
    <dl className="facts">
      <div>
        <dt>通報</dt>
        <dd>{o.report.title}</dd>
      </div>
      <div>
        <dt>対象</dt>
        <dd>
          <a href={o.publicHref}>{formatTarget(o)}</a>
        </dd>
      </div>
      <div>
        <dt>受付日時</dt>
        <dd>
          <time dateTime={o.receivedAt}>{formatDateTime(o.receivedAt)}</time>
          {o.outsidePeriod ? <OutsidePeriodMark /> : null}
        </dd>
      </div>
      <div>
        <dt>受付経路</dt>
        <dd>
          {CHANNEL_LABELS[o.channel]}
          {o.recordedBy ? `(記録:${o.recordedBy.displayName})` : ''}
        </dd>
      </div>
      <div>
        <dt>担当部署</dt>
        <dd>{o.unit ? `${o.unit.name}${o.unit.retired ? '(廃止)' : ''}` : '未定'}</dd>
      </div>
      <div>
        <dt>担当者</dt>
        <dd>{o.assignee ? `${o.assignee.displayName}${o.assignee.active ? '' : '(無効)'}` : '未定'}</dd>
      </div>
      {o.duplicateOf ? (
        <div>
          <dt>重複先</dt>
          <dd>
            <Link to={`/staff/opinions/${o.duplicateOf.id}`}>{o.duplicateOf.trackingNumber}</Link>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>公式回答</dt>
        <dd>
          {replyState(o.reply)}
          {canReply ? (
            <>
              {' '}
              <Link to={`/staff/opinions/${o.id}/reply`}>公式回答を作成・編集する</Link>
            </>
          ) : null}
        </dd>
      </div>
    </dl>
  );
}

/**
 * A mailto: link that can only ever address the citizen: each side of the @
 * percent-encoded, so an address typed as "a@b.jp?subject=…&body=…" (or with
 * %0A, # or another @) cannot add a subject, body, header or recipient.
 * Null when the text is not one address.
 */
export function mailtoHref(email: string): string | null {
  const at = email.indexOf('@');
  if (at <= 0 || at === email.length - 1 || email.includes('@', at + 1)) return null;
  return `mailto:${encodeURIComponent(email.slice(0, at))}@${encodeURIComponent(email.slice(at + 1))}`;
}

function EmailLink({ email }: { email: string }) {
  const href = mailtoHref(email);
  return href ? <a href={href}>{email}</a> : <>{email}</>;
}

type Contact = Pick<StaffOpinionView, 'id' | 'name' | 'email' | 'phone' | 'address' | 'replyWanted' | 'publicOk' | 'consent'>;

export function OpinionContact({ opinion: o }: { opinion: Contact }) {
  return (
    <section aria-labelledby="contact-title">
      <h2 id="contact-title">連絡先と同意</h2>
      <dl className="facts">
        <div>
          <dt>氏名</dt>
          <dd>{o.name ?? '(記入なし)'}</dd>
        </div>
        <div>
          <dt>メール</dt>
          <dd>{o.email ? <EmailLink email={o.email} /> : '(記入なし)'}</dd>
        </div>
        <div>
          <dt>電話</dt>
          <dd>{o.phone ?? '(記入なし)'}</dd>
        </div>
        <div>
          <dt>住所(郵送で回答する場合)</dt>
          <dd>{o.address ?? '(記入なし)'}</dd>
        </div>
        <div>
          <dt>回答の希望</dt>
          <dd>{o.replyWanted ? 'あり' : 'なし'}</dd>
        </div>
        <div>
          <dt>意見の公開</dt>
          <dd>{o.publicOk ? '公開してよい' : '公開しない'}</dd>
        </div>
        <div>
          <dt>個人情報の取扱いへの同意</dt>
          <dd>{o.consent ? '同意あり' : '同意なし'}</dd>
        </div>
      </dl>
      <p>
        <Link to={`/staff/opinions/${o.id}/ack`}>受付票(郵送用)を表示・印刷する</Link>
      </p>
    </section>
  );
}
