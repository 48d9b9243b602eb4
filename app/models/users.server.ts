import type { Role, User } from '../../db/schema';
import { getUserLanguage } from '~/models/user-language.server';
import type { DB } from '~/server/db.server';
import { generatePassword, hashPassword, passwordIssue, verifyPassword } from '~/utils/password.server';
import { isCommonPassword, isPersonalPassword } from '~/utils/common-passwords.server';
import { accountChangedMail } from '~/mail/account-mail.server';
import { enqueueMessage } from '~/mail/outbox.server';
import type { StaffUser } from '~/server/session.server';
import { UserError, type UserMessage } from '~/utils/user-error.server';
import { recordAudit } from './audit.server';
import { deleteUserSessions } from './sessions.server';

export const INITIAL_ADMIN_EMAIL = 'admin@localhost';

/** A staff account as pages and scripts see it (never the password hash). */
export type StaffAccount = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  mustChangePassword: boolean;
  twoFactorEnabled: boolean;
};

type PublicUser = Omit<User, 'password_hash' | 'totp_secret' | 'totp_last_step' | 'language'>;
type AuditBy = { actor: StaffUser | null; actorLabel?: string };

const publicColumns = [
  'id',
  'email',
  'display_name',
  'role',
  'active',
  'created_at',
  'last_login_at',
  'must_change_password',
  'totp_enabled_at',
] as const;

function toAccount(user: PublicUser): StaffAccount {
  return {
    id: user.id,
    email: user.email,
    displayName: user.display_name,
    role: user.role,
    active: user.active === 1,
    createdAt: user.created_at,
    lastLoginAt: user.last_login_at,
    mustChangePassword: user.must_change_password === 1,
    twoFactorEnabled: user.totp_enabled_at !== null,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function snapshot(user: StaffAccount) {
  return { email: user.email, displayName: user.displayName, role: user.role, active: user.active };
}

/**
 * Creates a staff account. Pass `by` to audit the creation (the admin screen,
 * the CLI, the first start); test helpers leave it out. A generated password
 * is passed with `mustChangePassword`: its owner must replace it first.
 */
export async function createUser(
  db: DB,
  input: { email: string; displayName: string; role: Role; password: string; mustChangePassword?: boolean },
  by?: AuditBy,
): Promise<StaffAccount> {
  const email = normalizeEmail(input.email);
  const problem = passwordIssue(input.password);
  if (problem) throw new UserError(problem.key, 400, problem.values);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw new UserError('models:users.emailTaken', 409, { email });
    const user = toAccount(
      await trx
        .insertInto('users')
        .values({
          email,
          display_name: input.displayName.trim(),
          role: input.role,
          password_hash: passwordHash,
          active: 1,
          created_at: new Date().toISOString(),
          last_login_at: null,
          must_change_password: input.mustChangePassword ? 1 : 0,
        })
        .returning(publicColumns)
        .executeTakeFirstOrThrow(),
    );
    if (by) {
      await recordAudit(trx, { ...by, action: 'user.create', entityType: 'user', entityId: user.id, after: snapshot(user) });
    }
    return user;
  });
}

export async function listUsers(db: DB): Promise<StaffAccount[]> {
  const users = await db.selectFrom('users').select(publicColumns).orderBy('active', 'desc').orderBy('display_name').orderBy('id').execute();
  return users.map(toAccount);
}

/** Active users, for assignee choices and filters. */
export async function listActiveUsers(db: DB): Promise<StaffAccount[]> {
  const users = await db.selectFrom('users').select(publicColumns).where('active', '=', 1).orderBy('display_name').orderBy('id').execute();
  return users.map(toAccount);
}

/** What sign-in checks against (with the hash); null for unknown emails. */
export async function getUserForSignIn(db: DB, email: string): Promise<(StaffAccount & { passwordHash: string }) | null> {
  const user = await db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return user ? { ...toAccount(user), passwordHash: user.password_hash } : null;
}

async function loadForChange(db: DB, userId: number): Promise<StaffAccount> {
  const user = await db.selectFrom('users').select(publicColumns).where('id', '=', userId).executeTakeFirst();
  if (!user) throw new UserError('models:users.notFound', 404);
  return toAccount(user);
}

/** The portal must always keep someone who can manage it. */
async function assertAnotherActiveAdmin(db: DB, userId: number): Promise<void> {
  const others = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('id', '!=', userId)
    .executeTakeFirstOrThrow();
  if (Number(others.n) === 0) {
    throw new UserError('models:users.lastAdmin', 409);
  }
}

export async function updateUserRole(db: DB, actor: StaffUser, userId: number, role: Role): Promise<StaffAccount> {
  return db.transaction().execute(async (trx) => {
    const before = await loadForChange(trx, userId);
    if (before.role === role) return before;
    if (before.role === 'admin' && before.active) await assertAnotherActiveAdmin(trx, userId);
    const after = toAccount(
      await trx.updateTable('users').set({ role }).where('id', '=', userId).returning(publicColumns).executeTakeFirstOrThrow(),
    );
    await recordAudit(trx, { actor, action: 'user.role', entityType: 'user', entityId: userId, before: snapshot(before), after: snapshot(after) });
    return after;
  });
}

/** Deactivating ends the person's sessions at once; the account and its history stay. */
export async function setUserActive(db: DB, actor: StaffUser, userId: number, active: boolean): Promise<StaffAccount> {
  return db.transaction().execute(async (trx) => {
    const before = await loadForChange(trx, userId);
    if (before.active === active) return before;
    if (!active && before.role === 'admin') await assertAnotherActiveAdmin(trx, userId);
    const after = toAccount(
      await trx
        .updateTable('users')
        .set({ active: active ? 1 : 0 })
        .where('id', '=', userId)
        .returning(publicColumns)
        .executeTakeFirstOrThrow(),
    );
    if (!active) await deleteUserSessions(trx, userId);
    await recordAudit(trx, {
      actor,
      action: active ? 'user.reactivate' : 'user.deactivate',
      entityType: 'user',
      entityId: userId,
      before: snapshot(before),
      after: snapshot(after),
    });
    return after;
  });
}

/** Issues a new generated password (shown once, to be changed at the next sign-in); the old one and all sessions stop working. */
export async function resetUserPassword(db: DB, actor: StaffUser, userId: number): Promise<{ email: string; password: string }> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const user = await loadForChange(trx, userId);
    await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: 1 }).where('id', '=', userId).execute();
    await deleteUserSessions(trx, userId);
    await recordAudit(trx, { actor, action: 'user.password_reset', entityType: 'user', entityId: userId });
    return { email: user.email, password };
  });
}

/** On the very first start: an admin with a generated password, returned once so boot can write it to a file. */
export async function ensureInitialAdmin(db: DB): Promise<{ email: string; password: string } | null> {
  const { n } = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(n) > 0) return null;
  const password = generatePassword();
  try {
    await createUser(
      db,
      { email: INITIAL_ADMIN_EMAIL, displayName: '管理者', role: 'admin', password, mustChangePassword: true },
      { actor: null, actorLabel: 'system' },
    );
  } catch (error) {
    // Another process got there first: its password was printed there.
    if (error instanceof UserError) return null;
    throw error;
  }
  return { email: INITIAL_ADMIN_EMAIL, password };
}

/** What is wrong with a person's new password (a catalog key and its values), or null. */
export function newPasswordProblem(password: string, person: { email: string; displayName: string }): UserMessage | null {
  const problem = passwordIssue(password);
  if (problem) return problem;
  if (isCommonPassword(password)) return { key: 'models:password.common' };
  if (isPersonalPassword(password, person)) return { key: 'models:password.personal' };
  return null;
}

/** A refusal's `message` is a catalog key and its values, worded by the route. */
export type PasswordChangeResult = { ok: true; endedSessions: number } | { ok: false; field: 'currentPassword' | 'newPassword'; message: UserMessage };

/**
 * The person's own password change: the current password must be right, the
 * new one acceptable. Ends the person's other sessions, audits, and mails the
 * owner, in one transaction.
 */
export async function changeOwnPassword(
  db: DB,
  user: StaffUser,
  input: { currentPassword: string; newPassword: string; keepSession: string | null; publicUrl: string },
): Promise<PasswordChangeResult> {
  const row = await db.selectFrom('users').select(['password_hash']).where('id', '=', user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
    return { ok: false, field: 'currentPassword', message: { key: 'models:password.currentWrong' } };
  }
  const problem = newPasswordProblem(input.newPassword, user);
  if (problem) return { ok: false, field: 'newPassword', message: problem };
  if (input.newPassword === input.currentPassword) {
    return { ok: false, field: 'newPassword', message: { key: 'models:password.sameAsCurrent' } };
  }
  const passwordHash = await hashPassword(input.newPassword);
  const at = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: 0 }).where('id', '=', user.id).execute();
    const endedSessions = input.keepSession ? await deleteUserSessions(trx, user.id, input.keepSession) : await deleteUserSessions(trx, user.id);
    await recordAudit(trx, { actor: user, action: 'user.password_change', entityType: 'user', entityId: user.id, after: { endedSessions } });
    const language = await getUserLanguage(trx, user.id);
    const mail = accountChangedMail('password_changed', { displayName: user.displayName, email: user.email, at, publicUrl: input.publicUrl, language });
    await enqueueMessage(trx, { opinionId: null, kind: 'account_notice', recipient: user.email, ...mail });
    return { ok: true as const, endedSessions };
  });
}

/** Changes the person's own display name. */
export async function updateOwnName(db: DB, user: StaffUser, displayName: string): Promise<void> {
  if (displayName === user.displayName) return;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ display_name: displayName }).where('id', '=', user.id).execute();
    await recordAudit(trx, {
      actor: user,
      action: 'user.rename',
      entityType: 'user',
      entityId: user.id,
      before: { displayName: user.displayName },
      after: { displayName },
    });
  });
}

/** One account as the console sees it, or null. */
export async function getUserById(db: DB, userId: number): Promise<StaffAccount | null> {
  const user = await db.selectFrom('users').select(publicColumns).where('id', '=', userId).executeTakeFirst();
  return user ? toAccount(user) : null;
}
