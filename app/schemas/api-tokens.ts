// The form that creates an intake API token (the admin screen and the CLI).
// Messages are keys of the `admin` catalog (./admin-messages).
import { z } from 'zod';
import { cleanLine, codePointLength } from '~/utils/text';

export const API_TOKEN_LIMITS = { nameMax: 60, rateMin: 1, rateMax: 600, rateDefault: 60 } as const;

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

export const apiTokenSchema = z.object({
  name: text
    .transform(cleanLine)
    .refine((v) => v.length > 0, 'admin:validation.tokenNameRequired')
    .refine((v) => codePointLength(v) <= API_TOKEN_LIMITS.nameMax, 'admin:validation.tokenNameTooLong'),
  scope: z.enum(['read', 'write'], { errorMap: () => ({ message: 'admin:validation.tokenScopeRequired' }) }),
  rateLimitPerMinute: text.pipe(
    z
      .string()
      .regex(/^\d{0,3}$/, 'admin:validation.rateInvalid')
      .transform((v) => (v === '' ? API_TOKEN_LIMITS.rateDefault : Number(v)))
      .refine(
        (n) => n >= API_TOKEN_LIMITS.rateMin && n <= API_TOKEN_LIMITS.rateMax,
        'admin:validation.rateInvalid',
      ),
  ),
});

export const revokeApiTokenSchema = z.object({
  tokenId: text.pipe(z.string().regex(/^[1-9]\d{0,9}$/, 'admin:validation.tokenIdInvalid').transform(Number)),
});

/** The admin screen's actions, named by the `intent` field. */
export const apiTokenActionSchema = z.discriminatedUnion('intent', [
  apiTokenSchema.extend({ intent: z.literal('create') }),
  revokeApiTokenSchema.extend({ intent: z.literal('revoke') }),
]);
