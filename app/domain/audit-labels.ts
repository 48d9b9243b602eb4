// The audit log in words: what was done (action codes), to what (entity
// types), which field and how its stored value reads. The log keeps its codes
// and JSON; this module translates them at display, in one place, through the
// staff catalog (audit.*), in the staff member's language.
// Browser-safe: no server modules.
import type { StaffFormat } from '~/i18n/staff-format';

/** Every action code the app writes (grep `action:` under app/); its words are audit.action.<code>. */
export const AUDIT_ACTIONS: readonly string[] = [
  'auth.login', 'auth.logout', 'auth.login_failed', 'auth.locked', 'auth.refused', 'auth.owner_alerted', 'auth.2fa',
  'auth.2fa_failed', 'auth.2fa_locked', 'auth.recovery_code', 'auth.session_end', 'user.create', 'user.role',
  'user.deactivate', 'user.reactivate', 'user.password_reset', 'user.password_change', 'user.rename',
  'user.2fa_enrol', 'user.2fa_reset', 'user.2fa_recovery_renew', 'unit.create', 'unit.update', 'unit.retire',
  'unit.restore', 'template.create', 'template.update', 'template.retire', 'template.restore', 'opinion.record',
  'opinion.status', 'opinion.consent_withdrawn', 'opinion.assign', 'opinion.due', 'opinion.note', 'opinion.export',
  'opinion.retention', 'opinion.privacy_export', 'opinion.erase', 'opinion.attach', 'opinion.attachment_publish',
  'opinion.attachment_unpublish', 'reply.draft', 'reply.publish', 'reply.edit',
  'reply.unpublish',
];

const ACTIONS = new Set(AUDIT_ACTIONS);

/** The action's words; an unknown code (an older or a test row) is shown as it is. */
export function auditActionLabel(action: string, f: Pick<StaffFormat, 't'>): { label: string; known: boolean } {
  return ACTIONS.has(action) ? { label: f.t(`audit.action.${action}`), known: true } : { label: action, known: false };
}

/** What an audit row is about (`entity_type`): audit.entity.<type>. */
const ENTITIES = new Set(['opinion', 'user', 'unit', 'reply_template', 'login']);

export function auditEntityLabel(entityType: string, f: Pick<StaffFormat, 't'>): string {
  return ENTITIES.has(entityType) ? f.t(`audit.entity.${entityType}`) : entityType;
}

/** Field names in before/after (and in the export's filters): audit.field.<name>. */
const FIELDS = new Set([
  'status', 'opinionStatusBefore', 'publicOk', 'via', 'note', 'shownOpinionRemoved', 'notPersonalData',
  'duplicateOf', 'unit', 'assignee', 'dueAt', 'body', 'channel', 'receivedAt', 'trackingNumber', 'email',
  'displayName', 'role', 'active', 'name', 'retired', 'title', 'retiredAt', 'showOpinion', 'redactedOpinion',
  'publishedAt', 'unpublishedReason', 'reason', 'scope', 'clientHash', 'filters', 'reportId', 'section', 'item',
  'unitId', 'assigneeId', 'from', 'to', 'overdue', 'q', 'months', 'cutoff', 'opinions', 'messages',
  'withdrawnMessages', 'notes', 'matchedBy', 'subjectHash', 'trackingNumbers', 'attachments', 'attachment', 'published',
  'size', 'type', 'id',
]);

const LOGIN_FAILURES = ['unknown_email', 'wrong_password', 'inactive'];
const LOCK_SCOPES = ['account', 'client'];
const MATCHED_BY = ['email', 'phone'];
const OPINION_STATUSES = ['new', 'triaged', 'in_progress', 'answered', 'closed', 'out_of_scope', 'duplicate'];
const REPLY_STATUSES = ['draft', 'published', 'unpublished'];
const CHANNELS = ['web', 'phone', 'post', 'visit', 'api', 'hotline'];
const ROLES = ['staff', 'moderator', 'admin'];
const CONSENT_VIA = ['phone', 'post', 'visit', 'email', 'other'];
const PERSONAL_DATA_FIELDS = ['body', 'redactedOpinion'];
const PERSONAL_DATA_KINDS = ['phone', 'email', 'id_number', 'submitter_name', 'submitter_email', 'submitter_phone', 'submitter_address', 'self_introduction'];

function fieldLabel(field: string, f: Pick<StaffFormat, 't'>): string {
  return FIELDS.has(field) ? f.t(`audit.field.${field}`) : field;
}

/** Fields that identify a row rather than describe it: not shown. */
const HIDDEN_FIELDS = new Set(['noteId', 'replyId']);

/** Before/after as stored: parsed JSON (or the raw text when it was not JSON). */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };

/** Names for ids found in before/after (the export's unit, person, report filters). */
export type AuditNames = {
  units: Record<string, string>;
  users: Record<string, string>;
  reports: Record<string, string>;
};

export const NO_NAMES: AuditNames = { units: {}, users: {}, reports: {} };

type F = Pick<StaffFormat, 't' | 'date' | 'dateTime' | 'section' | 'item'>;

/** A stored code's words (prefix.<code>), when the code is one of `codes`. */
function lookup(f: Pick<StaffFormat, 't'>, prefix: string, codes: readonly string[], value: unknown): string | null {
  return typeof value === 'string' && codes.includes(value) ? f.t(`${prefix}.${value}`) : null;
}

function isoMoment(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

/** One stored value in words. `action` decides which status a `status` is (an opinion's or a reply's). */
export function formatAuditValue(action: string, field: string, value: unknown, f: F, names: AuditNames = NO_NAMES): string {
  if (value === null || value === undefined || value === '') return f.t('none');
  if (typeof value === 'boolean') return value ? f.t('yes') : f.t('no');
  switch (field) {
    case 'status':
      return (action.startsWith('reply.') ? lookup(f, 'replyStatus', REPLY_STATUSES, value) : lookup(f, 'status', OPINION_STATUSES, value)) ?? String(value);
    case 'opinionStatusBefore':
      return lookup(f, 'status', OPINION_STATUSES, value) ?? String(value);
    case 'channel':
      return lookup(f, 'channel', CHANNELS, value) ?? String(value);
    case 'role':
      return lookup(f, 'role', ROLES, value) ?? String(value);
    case 'reason':
      return lookup(f, 'audit.loginFailure', LOGIN_FAILURES, value) ?? String(value);
    case 'via':
      return lookup(f, 'consentVia', CONSENT_VIA, value) ?? String(value);
    case 'notPersonalData':
      return Array.isArray(value)
        ? value
            .map((v: { field?: string; kind?: string; text?: string }) =>
              f.t('audit.notPersonalData', {
                field: lookup(f, 'personalData.field', PERSONAL_DATA_FIELDS, v.field) ?? v.field,
                kind: lookup(f, 'personalData.kind', PERSONAL_DATA_KINDS, v.kind) ?? v.kind,
                text: v.text ?? '',
              }),
            )
            .join(f.t('audit.separator'))
        : String(value);
    case 'scope':
      return lookup(f, 'audit.lockScope', LOCK_SCOPES, value) ?? String(value);
    case 'matchedBy':
      return lookup(f, 'audit.matchedBy', MATCHED_BY, value) ?? String(value);
    case 'dueAt':
    case 'from':
    case 'to':
      // A deadline is the end of a day: its date is what it means.
      return typeof value === 'string' ? f.date(value) : String(value);
    case 'unitId':
      return names.units[String(value)] ?? `#${value}`;
    case 'assigneeId':
      return names.users[String(value)] ?? `#${value}`;
    case 'reportId':
      return names.reports[String(value)] ?? `#${value}`;
    case 'section':
      return typeof value === 'number' ? f.section(value) : String(value);
    case 'item':
      return typeof value === 'number' ? f.item(value) : String(value);
  }
  if (isoMoment(value)) return f.dateTime(value);
  if (typeof value === 'object') return describeObject(action, value as Record<string, unknown>, f, names);
  return String(value);
}

function describeObject(action: string, value: Record<string, unknown>, f: F, names: AuditNames): string {
  const parts = Object.entries(value)
    .filter(([k, v]) => !HIDDEN_FIELDS.has(k) && v !== undefined && v !== null && v !== '' && k !== 'page')
    .map(([k, v]) => f.t('audit.pair', { label: fieldLabel(k, f), value: formatAuditValue(action, k, v, f, names) }));
  return parts.length === 0 ? f.t('audit.all') : parts.join(f.t('audit.separator'));
}

/** One line of "what changed": a field, and its value before and after (null when there was no side). */
export type AuditChange = { field: string; label: string; before: string | null; after: string | null };

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * Before and after as lines, one per field: a field that did not change is
 * left out when something else did; a record with only an after (a creation)
 * lists its values. Anything that is not an object is shown as it is.
 */
export function describeAuditChanges(action: string, before: AuditValue, after: AuditValue, f: F, names: AuditNames = NO_NAMES): AuditChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const loose: AuditChange[] = [];
  if (before != null && !b) loose.push({ field: '', label: f.t('audit.before'), before: null, after: String(before) });
  if (after != null && !a) loose.push({ field: '', label: f.t('audit.after'), before: null, after: String(after) });
  const fields = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter((k) => !HIDDEN_FIELDS.has(k));
  const changes = fields.map((field) => {
    const label = fieldLabel(field, f);
    const from = b ? formatAuditValue(action, field, b[field], f, names) : null;
    const to = a ? formatAuditValue(action, field, a[field], f, names) : null;
    return { field, label, before: from, after: to };
  });
  // A creation lists what it set, not the fields it left empty.
  const none = f.t('none');
  const shown = b ? changes.filter((c) => c.before === null || c.after === null || c.before !== c.after) : changes.filter((c) => c.after !== none);
  return [...loose, ...(shown.length > 0 ? shown : changes)];
}

/** A change as one line of text: 状態:受付 → 確認中. */
export function auditChangeText(c: AuditChange, f: Pick<StaffFormat, 't'>): string {
  if (c.before !== null && c.after !== null && c.before !== c.after) return f.t('audit.change', { label: c.label, before: c.before, after: c.after });
  return f.t('audit.pair', { label: c.label, value: c.after ?? c.before ?? f.t('none') });
}
