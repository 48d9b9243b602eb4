import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { AuditAction, AuditChanges, AuditTarget } from '~/components/audit-entry';
import { FilterBar, FilterDate, FilterSelect } from '~/components/filter-bar';
import { PageSummary, Pager } from '~/components/pager';
import { auditActionLabel } from '~/domain/audit-labels';
import { getRequestT } from '~/i18n/i18n.server';
import { staffMeta, useStaffFormat } from '~/i18n/staff-format';
import { listAudit, listAuditActions } from '~/models/audit.server';
import { listUsers } from '~/models/users.server';
import { parseAuditFilters } from '~/schemas/audit-filters';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.title, matches);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const { t } = await getRequestT(request, 'staff');
  const filters = parseAuditFilters(new URL(request.url).searchParams);
  const db = getDb();
  const [result, actions, users] = await Promise.all([
    listAudit(db, { actorId: filters.actor, action: filters.action, from: filters.from, to: filters.to, page: filters.page }),
    listAuditActions(db),
    listUsers(db),
  ]);
  return {
    title: `${t('auditLog.title')} | ${t('meta.suffix')}`,
    ...result,
    filters,
    actions,
    people: users.map((u) => ({ id: u.id, label: `${u.displayName}（${u.email}）` })),
  };
}

export default function StaffAudit() {
  const { entries, names, total, first, last, page, pageCount, filters, actions, people } = useLoaderData<typeof loader>();
  const f = useStaffFormat();
  const { t } = f;
  return (
    <div>
      <h1>{t('auditLog.title')}</h1>
      <p>{t('auditLog.intro')}</p>
      <FilterBar label={t('auditLog.filterLabel')} submitLabel={t('inbox.submit')} clearLabel={t('inbox.clear')} clearTo="/staff/audit">
        <FilterSelect name="actor" label={t('auditLog.actor')} value={filters.actor} options={people.map((p) => ({ value: p.id, label: p.label }))} />
        <FilterSelect name="action" label={t('auditLog.action')} value={filters.action} options={actions.map((a) => ({ value: a, label: auditActionLabel(a, f).label }))} />
        <FilterDate name="from" label={t('auditLog.from')} value={filters.from} />
        <FilterDate name="to" label={t('auditLog.to')} value={filters.to} />
      </FilterBar>

      <p role="status">
        <PageSummary total={total} first={first} last={last} page={page} pageCount={pageCount} />
      </p>
      {entries.length === 0 ? (
        <p>{t('auditLog.none')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-label={t('auditLog.list')} tabIndex={0}>
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">{t('auditLog.at')}</th>
                <th scope="col">{t('auditLog.actor')}</th>
                <th scope="col">{t('auditLog.operation')}</th>
                <th scope="col">{t('auditLog.target')}</th>
                <th scope="col">{t('auditLog.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.createdAt}>{f.dateTime(e.createdAt)}</time>
                  </td>
                  <td>{e.actorLabel}</td>
                  <td>
                    <AuditAction action={e.action} />
                  </td>
                  <td>
                    <AuditTarget entityType={e.entityType} entityId={e.entityId} entityName={e.entityName} />
                  </td>
                  <td>
                    <AuditChanges action={e.action} before={e.before} after={e.after} names={names} />
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
