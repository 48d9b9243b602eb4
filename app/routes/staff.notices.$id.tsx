// /staff/notices/:id — one notice: its state and period, its revisions and
// what each changed, and the opinions on each section/item, including those
// on items a later revision removed ("removed in revision N"). A draft is published here.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { canAccess } from '~/domain/access';
import { useNoticeWords } from '~/components/notice-preview';
import { wordRevisionChange } from '~/domain/notice-diff';
import { getRequestT } from '~/i18n/i18n.server';
import { ADMIN_MESSAGE_VALUES, formMessage } from '~/schemas/admin-messages';
import { getNoticeDetail } from '~/models/notice-admin.server';
import { publishDraft } from '~/models/notice-publish.server';
import { NoticeDetailSchema } from '~/schemas/notice-admin';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { parseForm, requireId } from '~/utils/form.server';
import { useIsPending } from '~/utils/use-is-pending';
import { UserError } from '~/utils/user-error.server';
import type { loader as staffLoader } from '~/routes/staff';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];
export const handle = { i18n: ['admin'] };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'notices');
  const { t } = await getRequestT(request, 'admin');
  const id = requireId(params, 'id', t('notices.notFound'));
  const notice = await getNoticeDetail(getDb(), id);
  if (!notice) throw new Response(t('notices.notFound'), { status: 404 });
  const { sourceText: _text, ...shown } = notice;
  const revisions = shown.revisions.map((r) => ({ ...r, changes: r.changes.map((c) => wordRevisionChange(c, t)) }));
  return { title: t('notices.detail.meta', { title: notice.title }), notice: { ...shown, revisions } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, 'notices');
  const { t } = await getRequestT(request, 'admin');
  const id = requireId(params, 'id', t('notices.notFound'));
  const form = await parseForm(request, NoticeDetailSchema);
  if (!form.success) return data({ message: formMessage(t, form.formError ?? 'admin:validation.intentInvalid') }, { status: 400 });
  try {
    await publishDraft(getDb(), actor, id);
  } catch (error) {
    if (error instanceof UserError) return data({ message: error.describe(t, ADMIN_MESSAGE_VALUES) }, { status: error.status });
    throw error;
  }
  return redirect(`/staff/notices/${id}?done=published`);
}

const DONE = ['published', 'draft', 'revised'];

export default function NoticeDetailRoute() {
  const { notice: n } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const staff = useRouteLoaderData<typeof staffLoader>('routes/staff');
  const isAdmin = staff?.user ? canAccess(staff.user.role, 'admin') : false;
  const [params] = useSearchParams();
  const words = useNoticeWords();
  const { t, at } = words;
  const doneParam = params.get('done') ?? '';
  const done = DONE.includes(doneParam) ? t(`notices.detail.done.${doneParam}`) : undefined;
  const pending = useIsPending({ formMethod: 'POST' });
  const messageRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (done || result) messageRef.current?.focus();
  }, [done, result]);
  const removed = n.targets.filter((target) => target.removedIn !== null);
  return (
    <div>
      <p className="back-link">
        <Link to="/staff/notices">{t('notices.back')}</Link>
      </p>
      <h1>{n.title}</h1>
      {result?.message || done ? (
        <p ref={messageRef} tabIndex={-1} className={result?.message ? 'alert' : 'notice'} role={result?.message ? 'alert' : 'status'}>
          {result?.message ?? done}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t('notices.detail.state')}</dt>
        <dd>{words.state(n.state)}</dd>
        <dt>{t('notices.detail.publicPage')}</dt>
        <dd>{n.draft ? t('notices.detail.draftPath', { path: `/reports/${n.slug}` }) : <a href={`/reports/${n.slug}`}>/reports/{n.slug}</a>}</dd>
        <dt>{t('notices.period.label')}</dt>
        <dd>{words.period(n.period) ?? t('notices.period.always')}</dd>
        <dt>{t('notices.detail.officeHours')}</dt>
        <dd>{n.period.officeHours ?? t('notices.detail.defaultOfficeHours', { hours: t('notices.period.defaultOfficeHours') })}</dd>
        <dt>{t('notices.detail.latestRevision')}</dt>
        <dd>{t('notices.revision', { no: n.revisionNo })}</dd>
      </dl>
      <div className="toolbar">
        <Link to={`/staff/notices/${n.id}/revise`}>{t('notices.detail.revise')}</Link>
        {isAdmin ? <Link to={`/staff/notices/${n.id}/period`}>{t('notices.detail.changePeriod')}</Link> : null}
        {!n.draft ? <a href={`/reports/${n.slug}/results`}>{t('notices.detail.results')}</a> : null}
      </div>
      {n.draft ? (
        <Form method="post">
          <input type="hidden" name="intent" value="publish" />
          <button type="submit" disabled={pending}>
            {t('notices.detail.publishDraft')}
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="targets-title">
        <h2 id="targets-title">{t('notices.detail.targets')}</h2>
        {removed.length > 0 ? (
          <p className="notice">{t('notices.detail.removedOpinions', { count: removed.reduce((s, target) => s + target.count, 0) })}</p>
        ) : null}
        {n.targets.length === 0 ? (
          <p>{t('notices.detail.noOpinions')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="targets-table" tabIndex={0}>
            <table>
              <caption id="targets-table">{t('notices.detail.targetsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('notices.detail.columns.target')}</th>
                  <th scope="col" className="num">
                    {t('notices.detail.columns.count')}
                  </th>
                  <th scope="col" className="num">
                    {t('notices.detail.columns.outsidePeriod')}
                  </th>
                  <th scope="col">{t('notices.detail.columns.note')}</th>
                </tr>
              </thead>
              <tbody>
                {n.targets.map((target) => (
                  <tr key={`${target.sectionNumber}-${target.itemNumber ?? ''}`}>
                    <th scope="row">
                      <Link to={`/staff?reportId=${n.id}&section=${target.sectionNumber}${target.itemNumber === null ? '' : `&item=${target.itemNumber}`}`}>{target.label}</Link>
                    </th>
                    <td className="num">{target.count}</td>
                    <td className="num">{target.outsidePeriod}</td>
                    <td>
                      {target.removedIn !== null ? (
                        <span className="removed-marker">
                          {t(target.itemNumber === null ? 'notices.detail.sectionRemoved' : 'notices.detail.itemRemoved', { no: target.removedIn })}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="revisions-title">
        <h2 id="revisions-title">{t('notices.detail.revisions')}</h2>
        <ol reversed>
          {n.revisions.map((r) => (
            <li key={r.revisionNo}>
              {t('notices.detail.revisionLine', { no: r.revisionNo, at: at(r.importedAt) })} {r.changes.length ? r.changes.join(t('notices.detail.listSeparator')) : t('notices.detail.firstEdition')}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="period-history-title">
        <h2 id="period-history-title">{t('notices.detail.periodHistory')}</h2>
        {n.periodHistory.length === 0 ? (
          <p>{t('notices.detail.noChanges')}</p>
        ) : (
          <ul>
            {n.periodHistory.map((c, i) => (
              <li key={i}>
                {t('notices.detail.changeLine', { kind: t(`notices.detail.kind.${c.kind}`), at: at(c.at), actor: c.actorLabel })}{' '}
                {c.kind === 'set'
                  ? words.labelledPeriod({ opensAt: c.opensAt, closesAt: c.closesAt }) ?? t('notices.period.none')
                  : words.change({ kind: c.kind, at: c.at, previousClosesAt: c.previousClosesAt, closesAt: c.closesAt, reason: c.reason ?? '' })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
