// Pieces of an audit row, shared by the audit log and an opinion's history.
// Presentational: every word comes from ~/domain/audit-labels (the staff catalog).
import { Link } from '@remix-run/react';
import { auditActionLabel, auditChangeText, auditEntityLabel, describeAuditChanges, NO_NAMES, type AuditNames, type AuditValue } from '~/domain/audit-labels';
import { useStaffFormat } from '~/i18n/staff-format';

/** The action in words; an unknown code is shown as code, never dropped. */
export function AuditAction({ action }: { action: string }) {
  const { label, known } = auditActionLabel(action, useStaffFormat());
  return known ? <span>{label}</span> : <code>{label}</code>;
}

/** Before → after, one line per field. */
export function AuditChanges({ action, before, after, names = NO_NAMES }: { action: string; before: AuditValue; after: AuditValue; names?: AuditNames }) {
  const f = useStaffFormat();
  const changes = describeAuditChanges(action, before, after, f, names);
  if (changes.length === 0) return <span>—</span>;
  return (
    <ul className="audit-changes">
      {changes.map((c, i) => (
        <li key={`${c.field}-${i}`} className="user-text">
          {auditChangeText(c, f)}
        </li>
      ))}
    </ul>
  );
}

/** What the row is about: an opinion links to its page by tracking number. */
export function AuditTarget({ entityType, entityId, entityName }: { entityType: string; entityId: string | null; entityName: string | null }) {
  const f = useStaffFormat();
  const kind = auditEntityLabel(entityType, f);
  if (entityId === null) return <span>{entityType === 'opinion' ? f.t('audit.opinionList') : kind}</span>;
  const name = `${kind} ${entityName ?? `#${entityId}`}`;
  return entityType === 'opinion' ? <Link to={`/staff/opinions/${entityId}`}>{name}</Link> : <span>{name}</span>;
}
