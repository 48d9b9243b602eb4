import type { Unit } from '../../db/schema';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';
import { recordAudit } from './audit.server';

/** Name and notification address, already cleaned by the form's schema. */
type UnitInput = { name: string; email: string | null };

/** A responsible unit as the admin screen sees it. */
export type UnitView = { id: number; name: string; email: string | null; retiredAt: string | null };

function toView(unit: Unit): UnitView {
  return { id: unit.id, name: unit.name, email: unit.email, retiredAt: unit.retired_at };
}

function snapshot(unit: UnitView) {
  return { name: unit.name, email: unit.email, retired: unit.retiredAt !== null };
}

/** Active units first, by name; retired ones only when asked (history screens, filters). */
export async function listUnits(db: DB, options: { includeRetired?: boolean } = {}): Promise<UnitView[]> {
  let query = db.selectFrom('units').selectAll();
  if (!options.includeRetired) query = query.where('retired_at', 'is', null);
  const units = await query.orderBy((eb) => eb('retired_at', 'is not', null), 'asc').orderBy('name').execute();
  return units.map(toView);
}

async function assertNameFree(db: DB, name: string, exceptId?: number) {
  let query = db.selectFrom('units').select('id').where('name', '=', name);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw new UserError('models:units.nameTaken', 409, { name });
}

async function loadForChange(db: DB, id: number): Promise<UnitView> {
  const unit = await db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  if (!unit) throw new UserError('models:units.notFound', 404);
  return toView(unit);
}

export async function createUnit(db: DB, actor: StaffUser, input: UnitInput): Promise<UnitView> {
  return db.transaction().execute(async (trx) => {
    await assertNameFree(trx, input.name);
    const unit = toView(
      await trx
        .insertInto('units')
        .values({ name: input.name, email: input.email, retired_at: null, created_at: new Date().toISOString() })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    await recordAudit(trx, { actor, action: 'unit.create', entityType: 'unit', entityId: unit.id, after: snapshot(unit) });
    return unit;
  });
}

export async function updateUnit(db: DB, actor: StaffUser, id: number, input: UnitInput): Promise<UnitView> {
  return db.transaction().execute(async (trx) => {
    const before = await loadForChange(trx, id);
    await assertNameFree(trx, input.name, id);
    const after = toView(
      await trx.updateTable('units').set({ name: input.name, email: input.email }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
    );
    await recordAudit(trx, { actor, action: 'unit.update', entityType: 'unit', entityId: id, before: snapshot(before), after: snapshot(after) });
    return after;
  });
}

/** Retired units stay on the opinions they were given; they only leave the choices. */
export async function retireUnit(db: DB, actor: StaffUser, id: number): Promise<UnitView> {
  return setRetired(db, actor, id, true);
}

export async function restoreUnit(db: DB, actor: StaffUser, id: number): Promise<UnitView> {
  return setRetired(db, actor, id, false);
}

async function setRetired(db: DB, actor: StaffUser, id: number, retired: boolean): Promise<UnitView> {
  return db.transaction().execute(async (trx) => {
    const before = await loadForChange(trx, id);
    if ((before.retiredAt !== null) === retired) return before;
    const after = toView(
      await trx
        .updateTable('units')
        .set({ retired_at: retired ? new Date().toISOString() : null })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    await recordAudit(trx, {
      actor,
      action: retired ? 'unit.retire' : 'unit.restore',
      entityType: 'unit',
      entityId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
    return after;
  });
}
