// What has happened to one opinion, on its staff page: internal notes, the
// mail it caused and its audit history. Presentational.
import type { StaffOpinionView } from '~/models/opinion-detail.server';
import { AuditAction, AuditChanges } from '~/components/audit-entry';
import { formatDateTime } from '~/utils/local-time';

const MESSAGE_KINDS: Record<string, string> = {
  office_notification: '事務局への通知',
  citizen_ack: '受付確認(ご本人宛)',
  citizen_reply: '回答のお知らせ(ご本人宛)',
  unit_notification: '担当部署への通知',
};

const DELIVERY: Record<string, string> = { pending: '送信待ち', sent: '送信済み', failed: '送信失敗' };

export function OpinionNotes({ notes }: { notes: StaffOpinionView['notes'] }) {
  if (notes.length === 0) return <p>メモはまだありません。</p>;
  return (
    <ul className="notes">
      {notes.map((n) => (
        <li key={n.id}>
          <p className="notes__meta">
            {n.authorName} ・ <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
          </p>
          <p className="user-text">{n.body}</p>
        </li>
      ))}
    </ul>
  );
}

export function OpinionMessages({ messages }: { messages: StaffOpinionView['messages'] }) {
  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">この意見について送ったメール</h2>
      {messages.length === 0 ? (
        <p>送ったメールはありません。</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="送ったメールの一覧" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">種類</th>
                <th scope="col">宛先</th>
                <th scope="col">件名</th>
                <th scope="col">配信状況</th>
                <th scope="col">試行回数</th>
                <th scope="col">作成・送信日時</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>{MESSAGE_KINDS[m.kind] ?? m.kind}</td>
                  <td>{m.recipient}</td>
                  <td>{m.subject}</td>
                  <td>
                    {DELIVERY[m.status] ?? m.status}
                    {m.lastError ? <span className="delivery-error">(最後のエラー:{m.lastError})</span> : null}
                  </td>
                  <td>{m.attempts}</td>
                  <td>
                    <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                    {m.sentAt ? (
                      <>
                        <br />
                        送信:<time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time>
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
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">履歴</h2>
      <p className="hint">
        受付:<time dateTime={createdAt}>{formatDateTime(createdAt)}</time>
      </p>
      {history.length === 0 ? (
        <p>この意見への操作はまだありません。</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="履歴の一覧" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">操作した人</th>
                <th scope="col">操作</th>
                <th scope="col">変更内容(変更前 → 変更後)</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td>
                    <time dateTime={h.createdAt}>{formatDateTime(h.createdAt)}</time>
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
