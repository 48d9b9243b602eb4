// The admin forms' validation messages are keys of the `admin` catalog
// ("admin:validation.emailRequired"), so the browser and the server share one
// schema while the words follow the page's language. The limits a message
// names are interpolated where it is shown ({{displayNameMax}} …). Text that
// is not a key (a model's message) is shown as it is. `{{n, number}}` groups
// digits as the page's language does.
import type { TFunction } from 'i18next';
import { ACCOUNT_LIMITS } from './account';
import { API_TOKEN_LIMITS } from './api-tokens';
import { NOTICE_LIMITS } from './notice-admin';
import { PHONE_MIN_DIGITS, PRIVACY_QUERY_MAX } from './privacy';
import { TEMPLATE_LIMITS } from './reply-fields';
import { STAFF_ADMIN_LIMITS } from './staff-admin';

/** Every limit an admin message may name, under the name it uses. */
export const ADMIN_MESSAGE_VALUES = {
  emailMax: STAFF_ADMIN_LIMITS.emailMax,
  displayNameMax: STAFF_ADMIN_LIMITS.displayNameMax,
  unitNameMax: STAFF_ADMIN_LIMITS.unitNameMax,
  passwordMin: ACCOUNT_LIMITS.passwordMin,
  passwordMax: ACCOUNT_LIMITS.passwordMax,
  tokenNameMax: API_TOKEN_LIMITS.nameMax,
  rateMin: API_TOKEN_LIMITS.rateMin,
  rateMax: API_TOKEN_LIMITS.rateMax,
  slugMax: NOTICE_LIMITS.slugMax,
  reasonMax: NOTICE_LIMITS.reasonMax,
  officeHoursMax: NOTICE_LIMITS.officeHoursMax,
  privacyQueryMax: PRIVACY_QUERY_MAX,
  phoneMinDigits: PHONE_MIN_DIGITS,
  templateTitleMax: TEMPLATE_LIMITS.titleMax,
  templateBodyMax: TEMPLATE_LIMITS.bodyMax,
} as const;

/**
 * One message in the reader's language: a catalog key with its limits (and
 * the `values` a model gave with it), or text as it came.
 */
export function formMessage(t: TFunction, message: string, values?: Record<string, unknown>): string;
export function formMessage(t: TFunction, message: string | null | undefined, values?: Record<string, unknown>): string | undefined;
export function formMessage(t: TFunction, message: string | null | undefined, values?: Record<string, unknown>): string | undefined {
  if (!message) return undefined;
  return String(t(message, { ...ADMIN_MESSAGE_VALUES, ...values, defaultValue: message }));
}

/** A form's field errors, each in the reader's language. */
export function formMessages<T extends Record<string, string>>(t: TFunction, errors: T): T {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) out[field] = formMessage(t, message);
  return out as T;
}
