// Forms of a person's own account (/staff/account/*) and the second sign-in step.
import { z } from 'zod';
import { cleanWords, codePointLength } from '~/utils/text';
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
        .min(1, '表示名を入力してください。')
        .refine((v) => codePointLength(v) <= STAFF_ADMIN_LIMITS.displayNameMax, `表示名は${STAFF_ADMIN_LIMITS.displayNameMax}文字以内にしてください。`),
    ),
});

// Passwords are never cleaned: they are compared as typed.
export const PasswordChangeSchema = z
  .object({
    currentPassword: text.pipe(z.string().min(1, '現在のパスワードを入力してください。').max(ACCOUNT_LIMITS.passwordMax)),
    newPassword: text.pipe(
      z
        .string()
        .min(1, '新しいパスワードを入力してください。')
        .max(ACCOUNT_LIMITS.passwordMax, `パスワードは${ACCOUNT_LIMITS.passwordMax}文字以内にしてください。`),
    ),
    confirmPassword: text,
  })
  .superRefine((v, ctx) => {
    if (v.newPassword && v.confirmPassword !== v.newPassword) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['confirmPassword'], message: '確認用のパスワードが一致しません。' });
    }
  });

const code = text.transform((v) => v.replace(/\s/g, '')).pipe(z.string().min(1, 'コードを入力してください。').max(ACCOUNT_LIMITS.codeMax, 'コードが長すぎます。'));

export const EnrolSchema = z.object({
  code: code.pipe(z.string().regex(/^\d{6}$/, '認証アプリに表示されている6桁の数字を入力してください。')),
});

export const SecondFactorSchema = z.object({
  code,
  redirectTo: text.pipe(z.string().max(STAFF_ADMIN_LIMITS.redirectToMax)),
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
