// Forms of the staff sign-in and the admin screens (users, units).
import { z } from 'zod';

export const ROLE_VALUES = ['staff', 'moderator', 'admin'] as const;

export const LoginSchema = z.object({
  email: z.string().trim().min(1, 'メールアドレスを入力してください。').max(254),
  password: z.string().min(1, 'パスワードを入力してください。').max(1024),
  redirectTo: z.string().max(2000).optional(),
});

export const UserCreateSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'メールアドレスを入力してください。')
    .max(254, 'メールアドレスが長すぎます。')
    .regex(/^[^\s@]+@[^\s@]+$/, 'メールアドレスの形式が正しくありません（例: tanaka@example.jp）。'),
  displayName: z.string().trim().min(1, '表示名を入力してください。').max(60, '表示名は60文字以内にしてください。'),
  role: z.enum(ROLE_VALUES, { errorMap: () => ({ message: '権限を選んでください。' }) }),
});

export const UnitSchema = z.object({
  name: z.string().trim().min(1, '部署名を入力してください。').max(80, '部署名は80文字以内にしてください。'),
  email: z
    .string()
    .trim()
    .max(254, 'メールアドレスが長すぎます。')
    .regex(/^$|^[^\s@]+@[^\s@]+$/, 'メールアドレスの形式が正しくありません（例: kankyo@example.jp）。')
    .transform((v) => v || null),
});

export type FieldErrors = Partial<Record<string, string>>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}
