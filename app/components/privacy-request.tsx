// The steps of /staff/privacy: the search form, what was found, the erasure
// confirmation and its outcome. Presentational; the route owns the data.
import { Form, Link } from '@remix-run/react';
import type { ErasureResult, PersonalDataFound } from '~/models/privacy-requests.server';
import { CHANNEL_LABELS, STATUS_LABELS } from '~/domain/labels';
import { PRIVACY_QUERY_MAX } from '~/schemas/privacy';
import { formatTarget } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';

export type PrivacyQueryKind = 'email' | 'phone';

const KIND_LABELS: Record<PrivacyQueryKind, string> = { email: 'メールアドレス', phone: '電話番号' };

export function SearchForm({ query, error }: { query: string; error?: string }) {
  const pending = useIsPending({ intent: 'search' });
  return (
    <>
      <h2 id="privacy-search-title">保存されている情報を探す</h2>
      <Form method="post" noValidate aria-labelledby="privacy-search-title" className="filter-form">
        <input type="hidden" name="intent" value="search" />
        <div className="field">
          <label htmlFor="privacy-query">メールアドレスまたは電話番号</label>
          <input
            id="privacy-query"
            name="query"
            type="text"
            inputMode="email"
            autoComplete="off"
            required
            maxLength={PRIVACY_QUERY_MAX}
            defaultValue={query}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'privacy-query-error privacy-query-hint' : 'privacy-query-hint'}
          />
          <p className="hint" id="privacy-query-hint">
            意見に記入されたメールアドレス(大文字・小文字は区別しません)か電話番号(ハイフン・空白・全角数字・+86
            などの書き方の違いは問いません)で探します。
          </p>
          {error ? (
            <p className="field-error" id="privacy-query-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={pending}>
          {pending ? '検索中…' : '検索する'}
        </button>
      </Form>
    </>
  );
}

function HiddenQuery({ query }: { query: string }) {
  return <input type="hidden" name="query" value={query} />;
}

export function Found({ query, kind, found }: { query: string; kind: PrivacyQueryKind; found: PersonalDataFound }) {
  const reviewPending = useIsPending({ intent: 'review-erase' });
  const n = found.opinions.length;
  return (
    <section aria-labelledby="privacy-results-title">
      <h2 id="privacy-results-title" tabIndex={-1}>
        {`検索結果:${KIND_LABELS[kind]}「${query}」の意見 ${n}件`}
      </h2>
      {found.erasures.length > 0 ? (
        <p>
          この{KIND_LABELS[kind]}の個人情報は、これまでに次のとおり消去しています:
          {found.erasures.map((e) => `${formatDate(e.at)}(意見${e.opinions}件)`).join('、')}
        </p>
      ) : null}
      {n === 0 ? (
        <p>この{KIND_LABELS[kind]}で保存されている意見はありません。</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="見つかった意見の一覧" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">受付番号</th>
                <th scope="col">受付日時</th>
                <th scope="col">対象</th>
                <th scope="col">状態</th>
                <th scope="col">氏名</th>
                <th scope="col">メールアドレス</th>
                <th scope="col">電話番号</th>
                <th scope="col">住所</th>
                <th scope="col">意見</th>
                <th scope="col">メール</th>
              </tr>
            </thead>
            <tbody>
              {found.opinions.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/staff/opinions/${o.id}`}>{o.trackingNumber}</Link>
                  </td>
                  <td>
                    <time dateTime={o.receivedAt}>{formatDateTime(o.receivedAt)}</time>
                    <br />
                    {CHANNEL_LABELS[o.channel]}
                  </td>
                  <td>{formatTarget(o.target, 'short')}</td>
                  <td>
                    {STATUS_LABELS[o.status]}
                    {o.replyPublished ? '(回答公開中)' : ''}
                  </td>
                  <td>{o.name ?? '(なし)'}</td>
                  <td>{o.email ?? '(なし)'}</td>
                  <td>{o.phone ?? '(なし)'}</td>
                  <td>{o.address ?? '(なし)'}</td>
                  <td>{Array.from(o.body).length > 80 ? `${Array.from(o.body).slice(0, 80).join('')}…` : o.body}</td>
                  <td>{`${o.messageCount}通`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div>
        {/* A download: the browser posts this form itself (no client-side navigation). */}
        <form method="post" action="/staff/privacy/export.json" className="inline-form">
          <HiddenQuery query={query} />
          <button type="submit" className="button--secondary">
            JSONで書き出す
          </button>
        </form>
        {n > 0 ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="review-erase" />
            <HiddenQuery query={query} />
            <button type="submit" disabled={reviewPending}>
              消去する
            </button>
          </Form>
        ) : null}
      </div>
      <p className="hint">
        書き出しと消去は監査ログに記録されます(メールアドレスや電話番号そのものではなく、鍵付きハッシュで記録します)。
      </p>
    </section>
  );
}

export function Confirm({ query, kind, found }: { query: string; kind: PrivacyQueryKind; found: PersonalDataFound }) {
  const pending = useIsPending({ intent: 'erase' });
  const n = found.opinions.length;
  if (n === 0) {
    return (
      <section aria-labelledby="privacy-results-title">
        <h2 id="privacy-results-title" tabIndex={-1}>
          消去するものはありません
        </h2>
        <p>この{KIND_LABELS[kind]}で保存されている意見はありません。</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="privacy-results-title" className="alert">
      <h2 id="privacy-results-title" tabIndex={-1}>
        {`消去の確認:${KIND_LABELS[kind]}「${query}」の意見 ${n}件`}
      </h2>
      <p>次の意見から、氏名・メールアドレス・電話番号・住所・接続元の識別値・ブラウザの種類を消去します。</p>
      <ul>
        {found.opinions.map((o) => (
          <li key={o.id}>
            {o.trackingNumber}({formatDate(o.receivedAt)}受付、{formatTarget(o.target, 'short')}、
            {STATUS_LABELS[o.status]})
          </li>
        ))}
      </ul>
      <p>
        意見の本文・対象・日付・状態・公開した回答は、区の記録として残ります。この方あての未送信のメールは送信を取りやめ、送信済みメールの控えからも連絡先を消します。職員が書いたメモはそのまま残ります。
        <strong>消去は元に戻せません。</strong>回答を送る予定がある場合は、先に回答してください。
      </p>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="erase" />
        <HiddenQuery query={query} />
        <input type="hidden" name="opinionIds" value={found.opinions.map((o) => o.id).join(',')} />
        <button type="submit" disabled={pending}>
          {pending ? '消去中…' : `${n}件の意見から個人情報を消去する`}
        </button>
      </Form>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="search" />
        <HiddenQuery query={query} />
        <button type="submit" className="button--secondary">
          やめて検索結果に戻る
        </button>
      </Form>
    </section>
  );
}

function erasedSummary(r: ErasureResult): string {
  const mail = r.withdrawnMessages > 0 ? `、未送信の${r.withdrawnMessages}通は送信を取りやめました` : 'ました';
  const notes = r.notes > 0 ? `。住所のメモ${r.notes}件も消去しました` : '';
  return `意見${r.opinions}件(${r.trackingNumbers.join('、')})から個人情報を消去しました。メールの控え${
    r.messages
  }通から連絡先を消し${mail}${notes}。`;
}

export function Erased({ result }: { result: ErasureResult }) {
  return (
    <div className="notice" role="status">
      <h2 id="privacy-results-title" tabIndex={-1}>
        消去しました
      </h2>
      {result.opinions === 0 ? (
        <p>消去する意見はありませんでした(すでに消去済みか、見つからなくなっています)。</p>
      ) : (
        <p>{erasedSummary(result)}</p>
      )}
    </div>
  );
}
