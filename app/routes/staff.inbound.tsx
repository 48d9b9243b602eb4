// /staff/inbound — mail that came back to us and is for people to read: messages
// nobody could match (a citizen answering the acknowledgement, say) and
// auto-replies to our mail (docs/mail.md). Senders are shown: staff only.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { FilterSelect } from '~/components/filter-select';
import { PageSummary, Pager } from '~/components/pager';
import { listReceivedMail } from '~/models/inbound-messages.server';
import { INBOUND_KINDS, parseInboundFilters, type InboundKind } from '~/schemas/inbound-filters';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { formatDateTime } from '~/utils/local-time';

const KIND_LABELS: Record<InboundKind, string> = { message: '照合できないメール', auto_reply: '自動応答' };

export const meta: MetaFunction = () => [{ title: '受信メール | 職員画面 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const filters = parseInboundFilters(new URL(request.url).searchParams);
  return { filters, ...(await listReceivedMail(getDb(), filters)) };
}

export default function StaffInbound() {
  const { filters, rows, total, first, last, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>受信メール</h1>
      <p>
        意見箱のアドレスに届いたメールのうち、人が読む必要のあるものです（新しい順、1ページ50件）。
        「照合できないメール」は返信先の意見が分からなかったもの、「自動応答」は送ったメールへの不在通知などです。
        配信できなかった通知（バウンス）は各意見のページに表示されます。
      </p>
      <Form method="get" className="filter-form" aria-label="受信メールの絞り込み">
        <FilterSelect name="kind" label="種類" value={filters.kind} options={INBOUND_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
        <button type="submit">絞り込む</button> <Link to="/staff/inbound">条件をクリア</Link>
      </Form>

      <p role="status">
        <PageSummary total={total} first={first} last={last} page={page} pageCount={pageCount} />
      </p>
      {rows.length === 0 ? (
        <p>条件に合うメールはありません。</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="受信メールの一覧" tabIndex={0}>
          <table className="inbound-table">
            <thead>
              <tr>
                <th scope="col">受信日時</th>
                <th scope="col">種類</th>
                <th scope="col">差出人</th>
                <th scope="col">件名と本文</th>
                <th scope="col">関係する意見</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={`${m.kind}-${m.id}`}>
                  <td>
                    <time dateTime={m.receivedAt}>{formatDateTime(m.receivedAt)}</time>
                  </td>
                  <td>{KIND_LABELS[m.kind]}</td>
                  <td className="user-text">{m.sender ?? <span className="muted">不明</span>}</td>
                  <td>
                    <span className="user-text">{m.subject || <span className="muted">(件名なし)</span>}</span>
                    {m.text ? (
                      <details>
                        <summary>本文</summary>
                        <div className="user-text inbound-text">
                          {m.text}
                          {m.textCut ? '(以下略)' : ''}
                        </div>
                      </details>
                    ) : null}
                  </td>
                  <td>
                    {m.opinion ? (
                      <Link to={`/staff/opinions/${m.opinion.id}`} className="tracking-number">
                        {m.opinion.trackingNumber}
                      </Link>
                    ) : (
                      <span className="muted">なし</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} filters={filters} />
    </div>
  );
}
