import type { Transaction } from 'kysely';
import type { AuditEntry, Database } from '../../db/schema';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';

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
export async function recordAudit(db: DB | Transaction<Database>, entry: AuditInput): Promise<void> {
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

/** A calendar day (YYYY-MM-DD) in the office's time zone, as a UTC instant. */
function dayStart(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const d = new Date(`${day}T00:00:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export async function listAudit(
  db: DB,
  filters: AuditFilters,
): Promise<{ entries: AuditEntry[]; total: number; page: number; pageCount: number }> {
  let query = db.selectFrom('audit_log');
  if (filters.actorId !== undefined) query = query.where('actor_id', '=', filters.actorId);
  if (filters.action) query = query.where('action', '=', filters.action);
  const from = filters.from ? dayStart(filters.from) : null;
  if (from) query = query.where('created_at', '>=', from);
  const to = filters.to ? dayStart(filters.to) : null;
  // "to" is inclusive: everything before the start of the next day.
  if (to) query = query.where('created_at', '<', new Date(Date.parse(to) + 86_400_000).toISOString());

  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const pageCount = Math.max(1, Math.ceil(Number(total) / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filters.page ?? 1)), pageCount);
  const entries = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return { entries, total: Number(total), page, pageCount };
}

/** Every action name seen so far, for the filter's choices. */
export async function listAuditActions(db: DB): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}

/** The history of one thing (an opinion, a user), oldest first. */
export async function listAuditForEntity(db: DB, entityType: string, entityId: string | number): Promise<AuditEntry[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
