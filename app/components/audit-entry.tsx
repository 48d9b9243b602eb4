// Pieces of an audit row, shared by the audit log and an opinion's history.
// Presentational: every word comes from ~/domain/audit-labels.
import { Link } from '@remix-run/react';
import { AUDIT_ENTITY_LABELS, auditActionLabel, auditChangeText, describeAuditChanges, NO_NAMES, type AuditNames, type AuditValue } from '~/domain/audit-labels';

/** The action in words; an unknown code is shown as code, never dropped. */
export function AuditAction({ action }: { action: string }) {
  const { label, known } = auditActionLabel(action);
  return known ? <span>{label}</span> : <code>{label}</code>;
}

/** Before → after, one line per field. */
export function AuditChanges({ action, before, after, names = NO_NAMES }: { action: string; before: AuditValue; after: AuditValue; names?: AuditNames }) {
  const changes = describeAuditChanges(action, before, after, names);
  if (changes.length === 0) return <span>—</span>;
  return (
    <ul className="audit-changes">
      {changes.map((c, i) => (
        <li key={`${c.field}-${i}`} className="user-text">
          {auditChangeText(c)}
        </li>
      ))}
    </ul>
  );
}

/** What the row is about: an opinion links to its page by tracking number. */
export function AuditTarget({ entityType, entityId, entityName }: { entityType: string; entityId: string | null; entityName: string | null }) {
  const kind = AUDIT_ENTITY_LABELS[entityType] ?? entityType;
  if (entityId === null) return <span>{entityType === 'opinion' ? '意見(一覧)' : kind}</span>;
  const name = `${kind} ${entityName ?? `#${entityId}`}`;
  return entityType === 'opinion' ? <Link to={`/staff/opinions/${entityId}`}>{name}</Link> : <span>{name}</span>;
}
