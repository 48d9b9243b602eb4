// Who may do what in the staff console: one map drives requireUser, the staff
// navigation and the access-matrix test (which also checks that every
// app/routes/staff* file is listed in STAFF_ROUTE_ACCESS).
import type { Role } from '../../db/schema';

export const ACCESS = {
  /** Every signed-in staff member: inbox, opinions, phone/post records, export, dashboard. */
  console: ['staff', 'moderator', 'admin'],
  /** Official replies and their templates. */
  replies: ['moderator', 'admin'],
  /**
   * Notices: publish from the console, save drafts, revise. Moderators may:
   * they already decide what the public reads (official replies). Changing a
   * running comment period (extend, close early) stays with admins.
   */
  notices: ['moderator', 'admin'],
  /** Accounts, units, the audit log, comment periods, a person's requests about their data. */
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Access = keyof typeof ACCESS;

export function canAccess(role: Role, access: Access): boolean {
  return (ACCESS[access] as readonly Role[]).includes(role);
}

/** The access each staff route module requires (its loader and its action). */
export const STAFF_ROUTE_ACCESS = {
  'staff': 'console',
  'staff._index': 'console',
  'staff.opinions.new': 'console',
  'staff.opinions.$id': 'console',
  'staff.opinions.$id_.ack': 'console',
  'staff.opinions.$id_.reply': 'replies',
  // Attachments: staff see and add them; publishing one beside a reply is the moderators' (checked in the action).
  'staff.opinions.$id_.attachments': 'console',
  'staff.attachments.$id': 'console',
  'staff.export[.]csv': 'console',
  'staff.dashboard': 'console',
  // Mail to the office nobody could match, and auto-replies: whoever handles opinions reads them.
  'staff.inbound': 'console',
  // Moderators insert templates into replies; only admins write them.
  'staff.templates': { loader: 'replies', action: 'admin' },
  'staff.notices._index': 'notices',
  'staff.notices.new': 'notices',
  'staff.notices.$id': 'notices',
  'staff.notices.$id_.revise': 'notices',
  'staff.notices.$id_.period': 'admin',
  'staff.audit': 'admin',
  'staff.units': 'admin',
  'staff.users': 'admin',
  // One account's sessions, each of which an admin can end.
  'staff.users_.$id': 'admin',
  'staff.api-tokens': 'admin',
  'staff.privacy': 'admin',
  'staff.privacy.export[.]json': 'admin',
  'staff.logout': 'console',
  // A person's own account: every role.
  'staff.account': 'console',
  'staff.account._index': 'console',
  'staff.account.password': 'console',
  'staff.account.2fa': 'console',
  'staff.account.sessions': 'console',
  'staff_.login': 'public',
  // The second sign-in step: reached with a session still owing its code.
  'staff_.login_.2fa': 'public',
} as const satisfies Record<string, Access | 'public' | { loader: Access | 'public'; action: Access | 'public' }>;

/**
 * The staff navigation, in order; each entry shown to the roles its access
 * allows. `labelKey` names its words in the staff catalog (public/locales/<lng>/staff.json).
 */
export const STAFF_NAV: ReadonlyArray<{ to: string; labelKey: string; access: Access; end?: boolean }> = [
  { to: '/staff', labelKey: 'nav.inbox', access: 'console', end: true },
  { to: '/staff/opinions/new', labelKey: 'nav.record', access: 'console' },
  { to: '/staff/dashboard', labelKey: 'nav.dashboard', access: 'console' },
  { to: '/staff/inbound', labelKey: 'nav.inbound', access: 'console' },
  { to: '/staff/templates', labelKey: 'nav.templates', access: 'replies' },
  { to: '/staff/notices', labelKey: 'nav.notices', access: 'notices' },
  { to: '/staff/audit', labelKey: 'nav.audit', access: 'admin' },
  { to: '/staff/units', labelKey: 'nav.units', access: 'admin' },
  { to: '/staff/users', labelKey: 'nav.users', access: 'admin' },
  { to: '/staff/api-tokens', labelKey: 'nav.apiTokens', access: 'admin' },
  { to: '/staff/privacy', labelKey: 'nav.privacy', access: 'admin' },
];
