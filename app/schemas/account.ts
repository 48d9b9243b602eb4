// Forms of a person's own account (/staff/account/*) and the second sign-in step.
// Messages are keys of the `admin` catalog (./admin-messages).
import { z } from 'zod';
import { cleanWords, codePointLength } from '~/utils/text';
import { LANGUAGES } from '~/i18n/config';
import { STAFF_ADMIN_LIMITS } from './staff-admin';

export const ACCOUNT_LIMITS = {
  /** The server decides (length, common passwords, name/email); this is only the form's hint. */
  passwordMin: 12,
  passwordMax: 256,
  codeMax: 20,
} as const;

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

export const NameSchema = z.object({
  displayName: text
    .transform(cleanWords)
    .pipe(
      z
        .string()
        .min(1, 'admin:validation.displayNameRequired')
        .refine((v) => codePointLength(v) <= STAFF_ADMIN_LIMITS.displayNameMax, 'admin:validation.displayNameTooLong'),
    ),
});

// Passwords are never cleaned: they are compared as typed.
export const PasswordChangeSchema = z
  .object({
    currentPassword: text.pipe(z.string().min(1, 'admin:validation.currentPasswordRequired').max(ACCOUNT_LIMITS.passwordMax)),
    newPassword: text.pipe(
      z
        .string()
        .min(1, 'admin:validation.newPasswordRequired')
        .max(ACCOUNT_LIMITS.passwordMax, 'admin:validation.passwordTooLong'),
    ),
    confirmPassword: text,
  })
  .superRefine((v, ctx) => {
    if (v.newPassword && v.confirmPassword !== v.newPassword) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['confirmPassword'], message: 'admin:validation.confirmPasswordMismatch' });
    }
  });

const code = text.transform((v) => v.replace(/\s/g, '')).pipe(z.string().min(1, 'admin:validation.codeRequired').max(ACCOUNT_LIMITS.codeMax, 'admin:validation.codeTooLong'));

export const EnrolSchema = z.object({
  code: code.pipe(z.string().regex(/^\d{6}$/, 'admin:validation.codeSixDigits')),
});

export const SecondFactorSchema = z.object({
  code,
  redirectTo: text.pipe(z.string().max(STAFF_ADMIN_LIMITS.redirectToMax)),
});

/** The console's language: one of ours, or empty to follow the browser (stored as null). */
export const LanguageSchema = z.object({
  language: z
    .enum(['', ...LANGUAGES], { errorMap: () => ({ message: 'admin:validation.languageInvalid' }) })
    .transform((v) => (v === '' ? null : v)),
});

export const SessionActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('end'), session: text.pipe(z.string().min(1).max(100)) }),
  z.object({ intent: z.literal('end-others') }),
]);

/** A rough strength for the meter (the server decides): 0–4 from length and variety. */
export function passwordStrength(password: string): number {
  const length = [...password].length;
  if (length < ACCOUNT_LIMITS.passwordMin) return 0;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(password)).length;
  return Math.min(4, 1 + (length >= 16 ? 1 : 0) + (length >= 20 ? 1 : 0) + (kinds >= 3 ? 1 : 0));
}
