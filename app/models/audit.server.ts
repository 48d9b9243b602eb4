import type { AuditEntry } from '../../db/schema';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { NO_NAMES, type AuditNames, type AuditValue } from '~/domain/audit-labels';
import { getReportContacts } from '~/models/reports.server';
import { endOfLocalDay, startOfLocalDay } from '~/utils/local-time';

export type AuditInput = {
  actor: StaffUser | null;
  /** Who acted when no one is signed in: 'system', 'cli', the email tried at sign-in. */
  actorLabel?: string;
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
};

export const AUDIT_PAGE_SIZE = 50;

function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Appends one row to the audit log; pass the transaction that makes the change so both commit together. */
export async function recordAudit(db: DB, entry: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actor?.id ?? null,
      actor_label: entry.actor ? `${entry.actor.displayName} <${entry.actor.email}>` : (entry.actorLabel ?? 'system'),
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      before_json: toJson(entry.before),
      after_json: toJson(entry.after),
      created_at: new Date().toISOString(),
    })
    .execute();
}

export type AuditFilters = { actorId?: number; action?: string; from?: string; to?: string; page?: number };

/** One audit row for display: before/after parsed, the target named where it still exists. */
export type AuditEntryView = {
  id: number;
  createdAt: string;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  /** The opinion's tracking number, the person's, unit's or template's name; null when unknown or gone. */
  entityName: string | null;
  before: AuditValue;
  after: AuditValue;
};

function parseJson(json: string | null): AuditValue {
  if (json === null) return null;
  try {
    return JSON.parse(json) as AuditValue;
  } catch {
    // Stored as written: shown as it is.
    return json;
  }
}

function toView(row: AuditEntry, entityName: string | null): AuditEntryView {
  return {
    id: row.id,
    createdAt: row.created_at,
    actorLabel: row.actor_label,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    entityName,
    before: parseJson(row.before_json),
    after: parseJson(row.after_json),
  };
}

const NUMERIC_ID = /^\d{1,10}$/;

function idsOf(values: Iterable<unknown>): number[] {
  const ids = new Set<number>();
  for (const v of values) if ((typeof v === 'number' || typeof v === 'string') && NUMERIC_ID.test(String(v))) ids.add(Number(v));
  return [...ids];
}

type NamedTable = 'opinions' | 'users' | 'units' | 'reply_templates';

/** id → a human name for rows of one table (tracking number, display name, unit name, template title). */
async function namesById(db: DB, table: NamedTable, ids: number[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const rows = await (() => {
    switch (table) {
      case 'opinions':
        return db.selectFrom('opinions').select(['id', 'tracking_number as name']).where('id', 'in', ids).execute();
      case 'users':
        return db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', ids).execute();
      case 'units':
        return db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute();
      case 'reply_templates':
        return db.selectFrom('reply_templates').select(['id', 'title as name']).where('id', 'in', ids).execute();
    }
  })();
  return Object.fromEntries(rows.map((r) => [String(r.id), r.name]));
}

const ENTITY_TABLES: Record<string, NamedTable> = { opinion: 'opinions', user: 'users', unit: 'units', reply_template: 'reply_templates' };

/** Entries as views with their targets named (one query per kind of target). */
async function toViews(db: DB, rows: AuditEntry[]): Promise<AuditEntryView[]> {
  const names: Record<string, Record<string, string>> = {};
  for (const [type, table] of Object.entries(ENTITY_TABLES)) {
    names[type] = await namesById(db, table, idsOf(rows.filter((r) => r.entity_type === type).map((r) => r.entity_id)));
  }
  return rows.map((r) => toView(r, r.entity_id === null ? null : (names[r.entity_type]?.[r.entity_id] ?? null)));
}

/** Names for the ids an export recorded in its filters (unit, person, report). */
async function namesInFilters(db: DB, entries: AuditEntryView[]): Promise<AuditNames> {
  const filters = entries
    .map((e) => (e.after && typeof e.after === 'object' ? (e.after as { filters?: unknown }).filters : undefined))
    .filter((f): f is Record<string, unknown> => f !== null && typeof f === 'object');
  if (filters.length === 0) return NO_NAMES;
  const [units, users] = await Promise.all([
    namesById(db, 'units', idsOf(filters.map((f) => f.unitId))),
    namesById(db, 'users', idsOf(filters.map((f) => f.assigneeId))),
  ]);
  const reports: Record<string, string> = {};
  for (const id of idsOf(filters.map((f) => f.reportId))) {
    const contacts = await getReportContacts(db, id);
    if (contacts) reports[String(id)] = contacts.title;
  }
  return { units, users, reports };
}

export async function listAudit(
  db: DB,
  filters: AuditFilters,
): Promise<{ entries: AuditEntryView[]; names: AuditNames; total: number; page: number; pageCount: number; first: number; last: number }> {
  let query = db.selectFrom('audit_log');
  if (filters.actorId !== undefined) query = query.where('actor_id', '=', filters.actorId);
  if (filters.action) query = query.where('action', '=', filters.action);
  const from = filters.from ? startOfLocalDay(filters.from) : null;
  if (from) query = query.where('created_at', '>=', from);
  // "to" is inclusive: everything up to the end of that day.
  const to = filters.to ? endOfLocalDay(filters.to) : null;
  if (to) query = query.where('created_at', '<=', to);

  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const pageCount = Math.max(1, Math.ceil(Number(total) / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filters.page ?? 1)), pageCount);
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  const entries = await toViews(db, rows);
  const first = rows.length === 0 ? 0 : (page - 1) * AUDIT_PAGE_SIZE + 1;
  return { entries, names: await namesInFilters(db, entries), total: Number(total), page, pageCount, first, last: first + rows.length - 1 };
}

/** Every action name seen so far, for the filter's choices. */
export async function listAuditActions(db: DB): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}

/** The history of one thing (an opinion, a user), oldest first. */
export async function listAuditForEntity(db: DB, entityType: string, entityId: string | number): Promise<AuditEntryView[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => toView(r, null));
}
