import type { Unit } from '../../db/schema';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';
import { recordAudit } from './audit.server';

export type UnitInput = { name: string; email: string | null };

function snapshot(unit: Unit) {
  return { name: unit.name, email: unit.email, retired: unit.retired_at !== null };
}

function clean(input: UnitInput): UnitInput {
  const name = input.name.trim();
  if (!name) throw new UserError('部署名を入力してください。');
  const email = input.email?.trim().toLowerCase() || null;
  return { name, email };
}

/** Active units first, by name; retired ones only when asked (history screens, filters). */
export async function listUnits(db: DB, options: { includeRetired?: boolean } = {}): Promise<Unit[]> {
  let query = db.selectFrom('units').selectAll();
  if (!options.includeRetired) query = query.where('retired_at', 'is', null);
  return query.orderBy((eb) => eb('retired_at', 'is not', null), 'asc').orderBy('name').execute();
}

export async function getUnit(db: DB, id: number): Promise<Unit | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

async function assertNameFree(db: DB, name: string, exceptId?: number) {
  let query = db.selectFrom('units').select('id').where('name', '=', name);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) throw new UserError(`「${name}」という部署は既にあります。`, 409);
}

export async function createUnit(db: DB, actor: StaffUser, input: UnitInput): Promise<Unit> {
  const values = clean(input);
  return db.transaction().execute(async (trx) => {
    await assertNameFree(trx, values.name);
    const unit = await trx
      .insertInto('units')
      .values({ ...values, retired_at: null, created_at: new Date().toISOString() })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'unit.create', entityType: 'unit', entityId: unit.id, after: snapshot(unit) });
    return unit;
  });
}

async function load(db: DB, id: number): Promise<Unit> {
  const unit = await getUnit(db, id);
  if (!unit) throw new UserError('この部署は見つかりません。', 404);
  return unit;
}

export async function updateUnit(db: DB, actor: StaffUser, id: number, input: UnitInput): Promise<Unit> {
  const values = clean(input);
  return db.transaction().execute(async (trx) => {
    const before = await load(trx, id);
    await assertNameFree(trx, values.name, id);
    const after = await trx.updateTable('units').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'unit.update', entityType: 'unit', entityId: id, before: snapshot(before), after: snapshot(after) });
    return after;
  });
}

/** Retired units stay on the opinions they were given; they only leave the choices. */
export async function retireUnit(db: DB, actor: StaffUser, id: number): Promise<Unit> {
  return setRetired(db, actor, id, true);
}

export async function restoreUnit(db: DB, actor: StaffUser, id: number): Promise<Unit> {
  return setRetired(db, actor, id, false);
}

async function setRetired(db: DB, actor: StaffUser, id: number, retired: boolean): Promise<Unit> {
  return db.transaction().execute(async (trx) => {
    const before = await load(trx, id);
    if ((before.retired_at !== null) === retired) return before;
    const after = await trx
      .updateTable('units')
      .set({ retired_at: retired ? new Date().toISOString() : null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
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
