// The form that creates an intake API token (the admin screen and the CLI).
import { z } from 'zod';
import { cleanLine, codePointLength } from '~/utils/text';

export const API_TOKEN_LIMITS = { nameMax: 60, rateMin: 1, rateMax: 600, rateDefault: 60 } as const;

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

export const apiTokenSchema = z.object({
  name: text
    .transform(cleanLine)
    .refine((v) => v.length > 0, '連携先の名前を入力してください。')
    .refine((v) => codePointLength(v) <= API_TOKEN_LIMITS.nameMax, `名前は${API_TOKEN_LIMITS.nameMax}文字以内で入力してください。`),
  scope: z.enum(['read', 'write'], { errorMap: () => ({ message: '権限(read または write)を選んでください。' }) }),
  rateLimitPerMinute: text.pipe(
    z
      .string()
      .regex(/^\d{0,3}$/, `1分あたりの上限は${API_TOKEN_LIMITS.rateMin}〜${API_TOKEN_LIMITS.rateMax}の整数で入力してください。`)
      .transform((v) => (v === '' ? API_TOKEN_LIMITS.rateDefault : Number(v)))
      .refine(
        (n) => n >= API_TOKEN_LIMITS.rateMin && n <= API_TOKEN_LIMITS.rateMax,
        `1分あたりの上限は${API_TOKEN_LIMITS.rateMin}〜${API_TOKEN_LIMITS.rateMax}の整数で入力してください。`,
      ),
  ),
});

export const revokeApiTokenSchema = z.object({
  tokenId: text.pipe(z.string().regex(/^[1-9]\d{0,9}$/, 'トークンの指定が正しくありません。').transform(Number)),
});

/** The admin screen's actions, named by the `intent` field. */
export const apiTokenActionSchema = z.discriminatedUnion('intent', [
  apiTokenSchema.extend({ intent: z.literal('create') }),
  revokeApiTokenSchema.extend({ intent: z.literal('revoke') }),
]);
