// What has happened to one opinion, on its staff page: internal notes, the
// mail it caused and its audit history. Presentational.
import type { StaffOpinionView } from '~/models/opinion-detail.server';
import { AuditAction, AuditChanges } from '~/components/audit-entry';
import { citizenHardBounce, type MessageBounce } from '~/domain/mail-bounces';
import { useStaffFormat, type StaffFormat } from '~/i18n/staff-format';

/** Message kinds and delivery states with words in the catalog (records.kind.*, records.delivery.*). */
const MESSAGE_KINDS = ['office_notification', 'citizen_ack', 'citizen_reply', 'unit_notification', 'unit_reminder_before', 'unit_reminder_due', 'overdue_escalation'];
const DELIVERY = ['pending', 'sent', 'failed'];

/** Not delivered (permanent) / delayed (temporary), with the remote's status code. */
function bounceText(b: MessageBounce, t: StaffFormat['t']): string {
  return `${t(b.type === 'hard' ? 'records.bounceHard' : 'records.bounceSoft')}${b.statusCode ? ` ${b.statusCode}` : ''}`;
}

export function OpinionNotes({ notes }: { notes: StaffOpinionView['notes'] }) {
  const { t, dateTime } = useStaffFormat();
  if (notes.length === 0) return <p>{t('records.notesNone')}</p>;
  return (
    <ul className="notes">
      {notes.map((n) => (
        <li key={n.id}>
          <p className="notes__meta">
            {t('records.noteMeta', { author: n.authorName })}
            <time dateTime={n.createdAt}>{dateTime(n.createdAt)}</time>
          </p>
          <p className="user-text">{n.body}</p>
        </li>
      ))}
    </ul>
  );
}

/** The writer's address does not take mail: say so where staff look before answering. */
function CitizenBounceNotice({ messages }: { messages: StaffOpinionView['messages'] }) {
  const { t, dateTime } = useStaffFormat();
  const bounce = citizenHardBounce(messages);
  if (!bounce) return null;
  return (
    <div className="alert">
      <p>
        <strong>{t('records.bounceTitle')}</strong>
        {t('records.bounceBefore', { recipient: bounce.recipient })}
        <time dateTime={bounce.at}>{dateTime(bounce.at)}</time>
        {t('records.bounceAfter', { code: bounce.statusCode ? t('records.bounceCode', { code: bounce.statusCode }) : '' })}
      </p>
    </div>
  );
}

export function OpinionMessages({ messages, ackWithheld }: { messages: StaffOpinionView['messages']; ackWithheld: StaffOpinionView['ackWithheld'] }) {
  const { t, dateTime } = useStaffFormat();
  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">{t('records.messagesTitle')}</h2>
      <CitizenBounceNotice messages={messages} />
      {ackWithheld ? <p className="notice">{t(`records.ackWithheld.${ackWithheld}`)}</p> : null}
      {messages.length === 0 ? (
        <p>{t('records.messagesNone')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-label={t('records.messagesList')} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('records.kindCol')}</th>
                <th scope="col">{t('records.recipient')}</th>
                <th scope="col">{t('records.subject')}</th>
                <th scope="col">{t('records.status')}</th>
                <th scope="col">{t('records.attempts')}</th>
                <th scope="col">{t('records.createdSent')}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>{MESSAGE_KINDS.includes(m.kind) ? t(`records.kind.${m.kind}`) : m.kind}</td>
                  <td>{m.recipient}</td>
                  <td>{m.subject}</td>
                  <td>
                    {DELIVERY.includes(m.status) ? t(`records.delivery.${m.status}`) : m.status}
                    {m.lastError ? <span className="delivery-error">{t('records.lastError', { error: m.lastError })}</span> : null}
                    {m.bounce ? (
                      <span className="delivery-error">
                        {bounceText(m.bounce, t)}
                        {m.bounce.diagnostic ? `:${m.bounce.diagnostic}` : ''}
                      </span>
                    ) : null}
                    {m.autoReplied ? <span className="hint">{t('records.autoReplied')}</span> : null}
                  </td>
                  <td>{m.attempts}</td>
                  <td>
                    <time dateTime={m.createdAt}>{dateTime(m.createdAt)}</time>
                    {m.sentAt ? (
                      <>
                        <br />
                        {t('records.sentAt')}
                        <time dateTime={m.sentAt}>{dateTime(m.sentAt)}</time>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function OpinionHistory({ createdAt, history }: { createdAt: string; history: StaffOpinionView['history'] }) {
  const { t, dateTime } = useStaffFormat();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('records.historyTitle')}</h2>
      <p className="hint">
        {t('records.receivedAt')}
        <time dateTime={createdAt}>{dateTime(createdAt)}</time>
      </p>
      {history.length === 0 ? (
        <p>{t('records.historyNone')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-label={t('records.historyList')} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('auditLog.at')}</th>
                <th scope="col">{t('auditLog.actor')}</th>
                <th scope="col">{t('auditLog.operation')}</th>
                <th scope="col">{t('auditLog.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td>
                    <time dateTime={h.createdAt}>{dateTime(h.createdAt)}</time>
                  </td>
                  <td>{h.actorLabel}</td>
                  <td>
                    <AuditAction action={h.action} />
                  </td>
                  <td>
                    <AuditChanges action={h.action} before={h.before} after={h.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
