// The forms of /staff/privacy: a person's email address or phone number to
// look up, then export or erase what is stored for it. Every step posts the
// same `query` again (it never travels in a URL, where it would stay in the
// browser's history); erasing also names the opinions the admin confirmed.
// Messages are keys of the `admin` catalog (./admin-messages).
import { z } from 'zod';
import { cleanLine, codePointLength } from '~/utils/text';

export const PRIVACY_QUERY_MAX = 254;
/** Fewer digits than this would match numbers of other people. */
export const PHONE_MIN_DIGITS = 6;

export type PrivacyQuery =
  | { kind: 'email'; value: string; email: string }
  | { kind: 'phone'; value: string; digits: string };

/** Digits only, full-width folded to half-width (０９０−１２３４ → 0901234). */
export function phoneDigits(value: string): string {
  return value.normalize('NFKC').replace(/[^0-9]/g, '');
}

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

export const privacyQuerySchema = text
  .transform((v) => cleanLine(v))
  .superRefine((v, ctx) => {
    if (!v) ctx.addIssue({ code: 'custom', message: 'admin:validation.privacyQueryRequired' });
    else if (codePointLength(v) > PRIVACY_QUERY_MAX)
      ctx.addIssue({ code: 'custom', message: 'admin:validation.privacyQueryTooLong' });
    else if (v.normalize('NFKC').includes('@')) {
      if (!/^[^\s@]+@[^\s@]+$/.test(v.normalize('NFKC').trim()))
        ctx.addIssue({ code: 'custom', message: 'admin:validation.privacyEmailInvalid' });
    } else if (phoneDigits(v).length < PHONE_MIN_DIGITS) {
      ctx.addIssue({ code: 'custom', message: 'admin:validation.privacyPhoneTooShort' });
    }
  })
  .transform((v): PrivacyQuery => {
    const folded = v.normalize('NFKC').trim();
    return folded.includes('@')
      ? { kind: 'email', value: v, email: folded.toLowerCase() }
      : { kind: 'phone', value: v, digits: phoneDigits(v) };
  });

const opinionIds = text.pipe(
  z
    .string()
    .regex(/^[1-9]\d{0,9}(,[1-9]\d{0,9}){0,999}$/, 'admin:validation.eraseIdsInvalid')
    .transform((v) => v.split(',').map(Number)),
);

export const privacyActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('search'), query: privacyQuerySchema }),
    // The confirmation step: shows what would be erased, changes nothing.
    z.object({ intent: z.literal('review-erase'), query: privacyQuerySchema }),
    z.object({ intent: z.literal('erase'), query: privacyQuerySchema, opinionIds }),
  ],
  {
    errorMap: (issue, ctx) => ({
      message: issue.code === 'invalid_union_discriminator' ? 'admin:validation.intentInvalid' : ctx.defaultError,
    }),
  },
);

export const privacyExportSchema = z.object({ query: privacyQuerySchema });
