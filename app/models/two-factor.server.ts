// A person's second factor: enrolment (secret kept unconfirmed until a code
// proves the app has it), sign-in checks (TOTP or a recovery code), and an
// admin's reset. Every step is audited; the owner is mailed when it matters.
import type { DB } from '~/server/db.server';
import { getUserLanguage } from '~/models/user-language.server';
import type { StaffUser } from '~/server/session.server';
import { accountChangedMail, type AccountEvent } from '~/mail/account-mail.server';
import { enqueueMessage } from '~/mail/outbox.server';
import { recordAudit } from './audit.server';
import { countUnusedRecoveryCodes, deleteRecoveryCodes, looksLikeRecoveryCode, replaceRecoveryCodes, useRecoveryCode } from './recovery-codes.server';
import { deleteUserSessions } from './sessions.server';
import { acceptedStep, decryptSecret, encryptSecret, generateTotpSecret } from './totp.server';


/** Failed second factors per account within the window before further codes are refused. */
export const FACTOR_ACCOUNT_FAILURES = 10;
export const FACTOR_ACCOUNT_WINDOW_MS = 15 * 60 * 1000;
/** Failed codes one pending sign-in allows before it ends (the password must be given again). */
export const FACTOR_SESSION_FAILURES = 5;

async function mailOwner(trx: DB, event: AccountEvent, user: { id: number; displayName: string; email: string }, at: string, publicUrl: string) {
  const language = await getUserLanguage(trx, user.id);
  const mail = accountChangedMail(event, { displayName: user.displayName, email: user.email, at, publicUrl, language });
  await enqueueMessage(trx, { opinionId: null, kind: 'account_notice', recipient: user.email, ...mail });
}

export type TwoFactorState = { enabled: boolean; enabledAt: string | null; unusedRecoveryCodes: number };

export async function getTwoFactorState(db: DB, userId: number): Promise<TwoFactorState> {
  const row = await db.selectFrom('users').select(['totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  return {
    enabled: row.totp_enabled_at !== null,
    enabledAt: row.totp_enabled_at,
    unusedRecoveryCodes: row.totp_enabled_at ? await countUnusedRecoveryCodes(db, userId) : 0,
  };
}

/**
 * The secret of an enrolment in progress (made and stored, unconfirmed, the
 * first time): reloading the page shows the same QR code. Null when enrolled.
 */
export async function getOrStartEnrolment(db: DB, userId: number): Promise<string | null> {
  const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (row.totp_enabled_at) return null;
  if (row.totp_secret) return decryptSecret(row.totp_secret);
  const secret = generateTotpSecret();
  await db.updateTable('users').set({ totp_secret: encryptSecret(secret) }).where('id', '=', userId).where('totp_enabled_at', 'is', null).execute();
  return secret;
}

/** Confirms the enrolment with a current code; returns the ten recovery codes, or null for a wrong code. */
export async function confirmEnrolment(db: DB, user: StaffUser, code: string, publicUrl: string, now = Date.now()): Promise<string[] | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
    if (row.totp_enabled_at || !row.totp_secret) return null;
    const step = acceptedStep(code, decryptSecret(row.totp_secret), null, now);
    if (step === null) return null;
    const at = new Date(now).toISOString();
    await trx.updateTable('users').set({ totp_enabled_at: at, totp_last_step: step }).where('id', '=', user.id).execute();
    const codes = await replaceRecoveryCodes(trx, user.id, at);
    await recordAudit(trx, { actor: user, action: 'user.2fa_enrol', entityType: 'user', entityId: user.id });
    await mailOwner(trx, 'two_factor_enrolled', user, at, publicUrl);
    return codes;
  });
}

/** New recovery codes for an enrolled person (the old ones stop working). */
export async function renewRecoveryCodes(db: DB, user: StaffUser): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const codes = await replaceRecoveryCodes(trx, user.id, new Date().toISOString());
    await recordAudit(trx, { actor: user, action: 'user.2fa_recovery_renew', entityType: 'user', entityId: user.id });
    return codes;
  });
}

/** An admin clears another person's second factor: they must enrol again. Their sessions end. */
export async function resetTwoFactor(db: DB, actor: StaffUser, userId: number, publicUrl: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['email', 'display_name']).where('id', '=', userId).executeTakeFirstOrThrow();
    await trx.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', userId).execute();
    await deleteRecoveryCodes(trx, userId);
    await deleteUserSessions(trx, userId);
    await recordAudit(trx, { actor, action: 'user.2fa_reset', entityType: 'user', entityId: userId });
    await mailOwner(trx, 'two_factor_reset', { id: userId, displayName: user.display_name, email: user.email }, new Date().toISOString(), publicUrl);
  });
}

/** How many second factors failed for this account lately (from the audit log). */
export async function countRecentFactorFailures(db: DB, userId: number, now = Date.now()): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'auth.2fa_failed')
    .where('entity_type', '=', 'user')
    .where('entity_id', '=', String(userId))
    .where('created_at', '>=', new Date(now - FACTOR_ACCOUNT_WINDOW_MS).toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

type SignInUser = StaffUser & { publicUrl: string };

/**
 * Checks a sign-in's second factor: a 6-digit TOTP code (not used before) or
 * an unused recovery code. Audits the outcome; a recovery code mails the owner.
 */
export async function verifySecondFactor(db: DB, user: SignInUser, code: string, now = Date.now()): Promise<'totp' | 'recovery' | null> {
  const typed = code.replace(/\s/g, '');
  const at = new Date(now).toISOString();
  const actor: StaffUser = { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('users').select(['totp_secret', 'totp_enabled_at', 'totp_last_step']).where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!row.totp_enabled_at || !row.totp_secret) return null;
    let method: 'totp' | 'recovery' | null = null;
    if (/^\d{6}$/.test(typed)) {
      const step = acceptedStep(typed, decryptSecret(row.totp_secret), row.totp_last_step, now);
      if (step !== null) {
        await trx.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
        method = 'totp';
      }
    } else if (looksLikeRecoveryCode(typed) && (await useRecoveryCode(trx, user.id, typed, at))) {
      method = 'recovery';
    }
    if (method === null) {
      await recordAudit(trx, { actor, action: 'auth.2fa_failed', entityType: 'user', entityId: user.id });
      return null;
    }
    await recordAudit(trx, {
      actor,
      action: method === 'totp' ? 'auth.2fa' : 'auth.recovery_code',
      entityType: 'user',
      entityId: user.id,
      after: method === 'recovery' ? { remaining: await countUnusedRecoveryCodes(trx, user.id) } : undefined,
    });
    if (method === 'recovery') await mailOwner(trx, 'recovery_code_used', user, at, user.publicUrl);
    return method;
  });
}
