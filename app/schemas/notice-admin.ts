// Forms of the notices console: a new notice (paste or upload, preview, then
// publish or save as draft), a revision, and the comment period. The notice's
// own text is not cleaned here: the parser normalizes it and reports anything
// odd with its line number, so the person can fix the source file.
import { z } from 'zod';
import { checkPeriodBounds, readLocalBound } from '~/domain/comment-period';
import { cleanLine, cleanMultiline, codePointLength } from '~/utils/text';

export const NOTICE_LIMITS = {
  /** An uploaded file or a pasted text, in UTF-8 bytes. */
  textMaxBytes: 1024 * 1024,
  slugMax: 64,
  reasonMax: 500,
  officeHoursMax: 120,
} as const;
const L = NOTICE_LIMITS;

/** A console form's whole body: a file and a paste of 1 MB each, and the fields (the server's cap for /staff/notices*). */
export const NOTICE_FORM_MAX_BYTES = 3 * 1024 * 1024;

/** A key of the `admin` catalog, like every message here (./admin-messages). */
export const NOTICE_TOO_LARGE_MESSAGE = 'admin:validation.noticeTooLarge';

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

const slug = text
  .transform((v) => cleanLine(v).toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'admin:validation.slugRequired')
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'admin:validation.slugInvalid'),
  );

/** A `datetime-local` value in Shanghai time; empty = no bound. */
const bound = (message: string) =>
  text.transform((v, ctx) => {
    const value = readLocalBound(v === 'none' ? '' : v);
    if (value === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    }
    return value;
  });

const officeHours = text
  .transform(cleanLine)
  .pipe(z.string().refine((v) => codePointLength(v) <= L.officeHoursMax, 'admin:validation.officeHoursTooLong'))
  .transform((v) => v || null);

const reason = text
  .transform(cleanMultiline)
  .pipe(
    z
      .string()
      .min(1, 'admin:validation.reasonRequired')
      .refine((v) => codePointLength(v) <= L.reasonMax, 'admin:validation.reasonTooLong'),
  );

const checkbox = text.transform((v) => v === 'on' || v === '1' || v === 'true');

const periodFields = { opensAt: bound('admin:validation.opensAtFormat'), closesAt: bound('admin:validation.closesAtFormat'), officeHours };

/** Closes after opens, reported on the closing field. */
function periodRefinement(value: { opensAt: string | null; closesAt: string | null }, ctx: z.RefinementCtx) {
  const problem = checkPeriodBounds(value.opensAt, value.closesAt);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem, path: ['closesAt'] });
}

export const NoticeNewSchema = z
  .object({ intent: z.enum(['preview', 'publish', 'draft'], { errorMap: () => ({ message: 'admin:validation.intentInvalid' }) }), slug, ...periodFields })
  .superRefine(periodRefinement);

export const NoticeReviseSchema = z.object({
  intent: z.enum(['preview', 'publish'], { errorMap: () => ({ message: 'admin:validation.intentInvalid' }) }),
  baseRevisionNo: text.pipe(z.string().regex(/^[1-9]\d{0,5}$/, 'admin:validation.baseRevisionInvalid').transform(Number)),
  confirmRenumbering: checkbox,
});

export const NoticePeriodSchema = z
  .discriminatedUnion(
    'intent',
    [
      z.object({ intent: z.literal('set'), ...periodFields }),
      z.object({
        intent: z.literal('extend'),
        closesAt: bound('admin:validation.newClosesAtFormat').pipe(z.string({ invalid_type_error: 'admin:validation.newClosesAtRequired' })),
        reason,
      }),
      z.object({ intent: z.literal('close'), reason }),
    ],
    { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? 'admin:validation.intentInvalid' : ctx.defaultError }) },
  )
  .superRefine((value, ctx) => {
    if (value.intent === 'set') periodRefinement(value, ctx);
  });
export type NoticePeriodInput = z.output<typeof NoticePeriodSchema>;

export const NoticeDetailSchema = z.object({
  intent: z.literal('publish', { errorMap: () => ({ message: 'admin:validation.intentInvalid' }) }),
});
