// Bearer tokens of the intake API, one per integration. The token is 32
// random bytes shown once; only its SHA-256 digest is stored, so a copy of
// the database lets no one call the API. Each change, and each call made with
// a token, writes an audit row.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiScope, ApiToken } from '../../db/schema';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { UserError } from '~/utils/user-error.server';
import { recordAudit } from './audit.server';

/** Recognisable in logs and by secret scanners. */
export const API_TOKEN_PREFIX = 'ikb_';
/** How much of a token the list shows (the prefix and 8 characters). */
const SHOWN_CHARS = API_TOKEN_PREFIX.length + 8;
/** last_used_at is written at most this often per token. */
const TOUCH_INTERVAL_MS = 60_000;

export type ApiTokenView = {
  id: number;
  name: string;
  scope: ApiScope;
  prefix: string;
  rateLimitPerMinute: number;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** Who is calling the API: an active token. */
export type ApiCaller = { id: number; name: string; scope: ApiScope; prefix: string; rateLimitPerMinute: number; lastUsedAt: string | null };

type AuditBy = { actor: StaffUser | null; actorLabel?: string };

export function hashApiToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function toView(row: ApiToken & { created_by: string | null }): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.token_prefix,
    rateLimitPerMinute: row.rate_limit_per_minute,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function snapshot(view: ApiTokenView) {
  return { name: view.name, scope: view.scope, prefix: view.prefix, rateLimitPerMinute: view.rateLimitPerMinute, revoked: view.revokedAt !== null };
}

function selectTokens(db: DB) {
  return db
    .selectFrom('api_tokens as t')
    .leftJoin('users as u', 'u.id', 't.created_by_id')
    .selectAll('t')
    .select('u.display_name as created_by');
}

/** Active tokens first, newest first; revoked ones stay listed for the record. */
export async function listApiTokens(db: DB): Promise<ApiTokenView[]> {
  const rows = await selectTokens(db)
    .orderBy((eb) => eb('t.revoked_at', 'is not', null), 'asc')
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
  return rows.map(toView);
}

/** Creates a token; `secret` is the only copy there will ever be. */
export async function createApiToken(
  db: DB,
  by: AuditBy,
  input: { name: string; scope: ApiScope; rateLimitPerMinute: number },
): Promise<{ token: ApiTokenView; secret: string }> {
  const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const view = await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('api_tokens')
      .values({
        name: input.name,
        scope: input.scope,
        token_hash: hashApiToken(secret),
        token_prefix: secret.slice(0, SHOWN_CHARS),
        rate_limit_per_minute: input.rateLimitPerMinute,
        created_by_id: by.actor?.id ?? null,
        created_at: new Date().toISOString(),
        last_used_at: null,
        revoked_at: null,
        revoked_by_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = toView(await selectTokens(trx).where('t.id', '=', id).executeTakeFirstOrThrow());
    await recordAudit(trx, { ...by, action: 'api_token.create', entityType: 'api_token', entityId: id, after: snapshot(token) });
    return token;
  });
  return { token: view, secret };
}

/** Revokes a token at once: its next call is refused. Revoking twice changes nothing. */
export async function revokeApiToken(db: DB, by: AuditBy, id: number): Promise<ApiTokenView> {
  return db.transaction().execute(async (trx) => {
    const before = await selectTokens(trx).where('t.id', '=', id).executeTakeFirst();
    if (!before) throw new UserError('models:apiTokens.notFound', 404);
    if (before.revoked_at) return toView(before);
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString(), revoked_by_id: by.actor?.id ?? null })
      .where('id', '=', id)
      .execute();
    const after = toView(await selectTokens(trx).where('t.id', '=', id).executeTakeFirstOrThrow());
    await recordAudit(trx, { ...by, action: 'api_token.revoke', entityType: 'api_token', entityId: id, before: snapshot(toView(before)), after: snapshot(after) });
    return after;
  });
}

/** The active token behind a presented secret, or null (unknown or revoked). */
export async function findApiCaller(db: DB, secret: string): Promise<ApiCaller | null> {
  if (!secret.startsWith(API_TOKEN_PREFIX) || secret.length > 200) return null;
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scope', 'token_prefix', 'rate_limit_per_minute', 'last_used_at'])
    .where('token_hash', '=', hashApiToken(secret))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, name: row.name, scope: row.scope, prefix: row.token_prefix, rateLimitPerMinute: row.rate_limit_per_minute, lastUsedAt: row.last_used_at };
}

/** Records that a token was used, at most once a minute (a write per call would add up). */
export async function touchApiToken(db: DB, caller: ApiCaller, now = new Date()): Promise<void> {
  if (caller.lastUsedAt && now.getTime() - Date.parse(caller.lastUsedAt) < TOUCH_INTERVAL_MS) return;
  await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', caller.id).execute();
}

export type ApiCallRecord = {
  action: string;
  method: string;
  path: string;
  status: number;
  entityType?: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
};

/** One audit row per API call, naming the token (never its secret). */
export async function recordApiCall(db: DB, caller: ApiCaller, call: ApiCallRecord): Promise<void> {
  await recordAudit(db, {
    actor: null,
    actorLabel: `API: ${caller.name} (${caller.prefix}…)`,
    action: call.action,
    entityType: call.entityType ?? 'api_token',
    entityId: call.entityId ?? caller.id,
    after: { tokenId: caller.id, method: call.method, path: call.path, status: call.status, ...call.details },
  });
}
