// The facts of one opinion on its staff page: where it came from, who has
// it, its text and the writer's contact. Presentational.
import { Link } from '@remix-run/react';
import type { StaffOpinionView } from '~/models/opinion-detail.server';
import { OutsidePeriodMark } from '~/components/staff-text';
import { useStaffFormat, type StaffFormat } from '~/i18n/staff-format';

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

function replyState(reply: Opinion['reply'], f: StaffFormat): string {
  if (!reply) return f.t('facts.none');
  if (reply.status === 'published') return f.t('facts.published', { at: reply.publishedAt ? f.dateTime(reply.publishedAt) : '' });
  return f.replyStatus(reply.status);
}

export function OpinionFacts({ opinion: o, canReply }: { opinion: Opinion; canReply: boolean }) {
  const f = useStaffFormat();
  const { t } = f;
  return (
    <dl className="facts">
      <div>
        <dt>{t('facts.report')}</dt>
        <dd>{o.report.title}</dd>
      </div>
      <div>
        <dt>{t('facts.target')}</dt>
        <dd>
          <a href={o.publicHref}>{f.target(o)}</a>
        </dd>
      </div>
      <div>
        <dt>{t('facts.receivedAt')}</dt>
        <dd>
          <time dateTime={o.receivedAt}>{f.dateTime(o.receivedAt)}</time>
          {o.outsidePeriod ? <OutsidePeriodMark /> : null}
        </dd>
      </div>
      <div>
        <dt>{t('facts.channel')}</dt>
        <dd>
          {f.channel(o.channel)}
          {o.recordedBy ? t('facts.recordedBy', { name: o.recordedBy.displayName }) : ''}
        </dd>
      </div>
      <div>
        <dt>{t('facts.unit')}</dt>
        <dd>{o.unit ? `${o.unit.name}${o.unit.retired ? t('facts.retired') : ''}` : t('facts.undecided')}</dd>
      </div>
      <div>
        <dt>{t('facts.assignee')}</dt>
        <dd>{o.assignee ? `${o.assignee.displayName}${o.assignee.active ? '' : t('facts.inactive')}` : t('facts.undecided')}</dd>
      </div>
      {o.duplicateOf ? (
        <div>
          <dt>{t('facts.duplicateOf')}</dt>
          <dd>
            <Link to={`/staff/opinions/${o.duplicateOf.id}`}>{o.duplicateOf.trackingNumber}</Link>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>{t('facts.reply')}</dt>
        <dd>
          {replyState(o.reply, f)}
          {canReply ? (
            <>
              {' '}
              <Link to={`/staff/opinions/${o.id}/reply`}>{t('facts.replyLink')}</Link>
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
  const { t } = useStaffFormat();
  const notGiven = t('facts.notGiven');
  return (
    <section aria-labelledby="contact-title">
      <h2 id="contact-title">{t('facts.contactTitle')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('facts.name')}</dt>
          <dd>{o.name ?? notGiven}</dd>
        </div>
        <div>
          <dt>{t('facts.email')}</dt>
          <dd>{o.email ? <EmailLink email={o.email} /> : notGiven}</dd>
        </div>
        <div>
          <dt>{t('facts.phone')}</dt>
          <dd>{o.phone ?? notGiven}</dd>
        </div>
        <div>
          <dt>{t('facts.address')}</dt>
          <dd>{o.address ?? notGiven}</dd>
        </div>
        <div>
          <dt>{t('facts.replyWanted')}</dt>
          <dd>{o.replyWanted ? t('facts.yes') : t('facts.no')}</dd>
        </div>
        <div>
          <dt>{t('facts.publicOk')}</dt>
          <dd>{o.publicOk ? t('facts.publicYes') : t('facts.publicNo')}</dd>
        </div>
        <div>
          <dt>{t('facts.consent')}</dt>
          <dd>{o.consent ? t('facts.consentYes') : t('facts.consentNo')}</dd>
        </div>
      </dl>
      <p>
        <Link to={`/staff/opinions/${o.id}/ack`}>{t('facts.ackLink')}</Link>
      </p>
    </section>
  );
}
