// /staff/notices/:id — one notice: its state and period, its revisions and
// what each changed, and the opinions on each section/item, including those
// on items a later revision removed ("改訂Nで削除"). A draft is published here.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { canAccess } from '~/domain/access';
import { describeChange, describePeriod, DEFAULT_OFFICE_HOURS, NOTICE_STATE_LABELS } from '~/domain/comment-period';
import { getNoticeDetail, publishDraft } from '~/models/notice-admin.server';
import { NoticeDetailSchema } from '~/schemas/notice-admin';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, requireId } from '~/utils/form.server';
import { formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';
import type { loader as staffLoader } from '~/routes/staff';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.notice.title ?? '通報'} | 通報の管理 | 意見箱` },
  { name: 'robots', content: 'noindex' },
];

const NOT_FOUND = '通報が見つかりません。';

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'notices');
  const id = requireId(params, 'id', NOT_FOUND);
  const notice = await getNoticeDetail(getDb(), id);
  if (!notice) throw new Response(NOT_FOUND, { status: 404 });
  const { sourceText: _text, ...shown } = notice;
  return { notice: shown };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'notices');
  const id = requireId(params, 'id', NOT_FOUND);
  const form = await parseForm(request, NoticeDetailSchema);
  if (!form.success) return data({ message: form.formError ?? '操作の種類が正しくありません。' }, { status: 400 });
  try {
    await publishDraft(getDb(), actor, id);
  } catch (error) {
    if (error instanceof UserError) return data({ message: error.message }, { status: error.status });
    throw error;
  }
  return redirect(`/staff/notices/${id}?done=published`);
}

const DONE: Record<string, string> = {
  published: '通報を公開しました。',
  draft: '下書きとして保存しました。公開ページにはまだ表示されません。',
  revised: '新しい改訂を公開しました。公開ページの改訂履歴に表示されます。',
};

const KIND_LABELS = { set: '期間の設定', extend: '延長', close_early: '早期終了' } as const;

export default function NoticeDetailRoute() {
  const { notice: n } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const staff = useRouteLoaderData<typeof staffLoader>('routes/staff');
  const isAdmin = staff?.user ? canAccess(staff.user.role, 'admin') : false;
  const [params] = useSearchParams();
  const done = DONE[params.get('done') ?? ''];
  const pending = useIsPending({ formMethod: 'POST' });
  const messageRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (done || result) messageRef.current?.focus();
  }, [done, result]);
  const removed = n.targets.filter((t) => t.removedIn !== null);
  return (
    <div>
      <p className="back-link">
        <Link to="/staff/notices">← 通報の管理へ</Link>
      </p>
      <h1>{n.title}</h1>
      {result?.message || done ? (
        <p ref={messageRef} tabIndex={-1} className={result?.message ? 'alert' : 'notice'} role={result?.message ? 'alert' : 'status'}>
          {result?.message ?? done}
        </p>
      ) : null}
      <dl className="facts">
        <dt>状態</dt>
        <dd>{NOTICE_STATE_LABELS[n.state]}</dd>
        <dt>公開ページ</dt>
        <dd>{n.draft ? `/reports/${n.slug}(下書きのため非公開)` : <a href={`/reports/${n.slug}`}>/reports/{n.slug}</a>}</dd>
        <dt>意見募集期間</dt>
        <dd>{describePeriod(n.period)?.replace(/^意見募集期間: /, '') ?? '期間の定めなし(常に受付)'}</dd>
        <dt>電話の受付時間</dt>
        <dd>{n.period.officeHours ?? `${DEFAULT_OFFICE_HOURS}(既定)`}</dd>
        <dt>最新の改訂</dt>
        <dd>改訂{n.revisionNo}</dd>
      </dl>
      <div className="toolbar">
        <Link to={`/staff/notices/${n.id}/revise`}>本文を改訂する</Link>
        {isAdmin ? <Link to={`/staff/notices/${n.id}/period`}>意見募集期間を変更する</Link> : null}
        {!n.draft ? <a href={`/reports/${n.slug}/results`}>対応状況(公開)</a> : null}
      </div>
      {n.draft ? (
        <Form method="post">
          <input type="hidden" name="intent" value="publish" />
          <button type="submit" disabled={pending}>
            この下書きを公開する
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="targets-title">
        <h2 id="targets-title">項・措置ごとの意見</h2>
        {removed.length > 0 ? (
          <p className="notice">改訂で削除された項・措置への意見が{removed.reduce((s, t) => s + t.count, 0)}件あります。意見はそのまま残っています。</p>
        ) : null}
        {n.targets.length === 0 ? (
          <p>まだ意見はありません。</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="targets-table" tabIndex={0}>
            <table>
              <caption id="targets-table">意見の対象と件数</caption>
              <thead>
                <tr>
                  <th scope="col">対象</th>
                  <th scope="col" className="num">
                    件数
                  </th>
                  <th scope="col" className="num">
                    うち期間外
                  </th>
                  <th scope="col">備考</th>
                </tr>
              </thead>
              <tbody>
                {n.targets.map((t) => (
                  <tr key={`${t.sectionNumber}-${t.itemNumber ?? ''}`}>
                    <th scope="row">
                      <Link to={`/staff?reportId=${n.id}&section=${t.sectionNumber}${t.itemNumber === null ? '' : `&item=${t.itemNumber}`}`}>{t.label}</Link>
                    </th>
                    <td className="num">{t.count}</td>
                    <td className="num">{t.outsidePeriod}</td>
                    <td>{t.removedIn !== null ? <span className="removed-marker">{t.itemNumber === null ? '項' : '措置'}は改訂{t.removedIn}で削除</span> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="revisions-title">
        <h2 id="revisions-title">改訂履歴</h2>
        <ol reversed>
          {n.revisions.map((r) => (
            <li key={r.revisionNo}>
              改訂{r.revisionNo}({formatDateTime(r.importedAt)}): {r.changes.length ? r.changes.join('、') : '初版'}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="period-history-title">
        <h2 id="period-history-title">期間の変更履歴</h2>
        {n.periodHistory.length === 0 ? (
          <p>変更はありません。</p>
        ) : (
          <ul>
            {n.periodHistory.map((c, i) => (
              <li key={i}>
                {KIND_LABELS[c.kind]}({formatDateTime(c.at)}、{c.actorLabel}):{' '}
                {c.kind === 'set'
                  ? (describePeriod({ opensAt: c.opensAt, closesAt: c.closesAt }) ?? '期間の定めなし')
                  : describeChange({ kind: c.kind, at: c.at, previousClosesAt: c.previousClosesAt, closesAt: c.closesAt, reason: c.reason ?? '' })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
