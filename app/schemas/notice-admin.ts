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

export const NOTICE_TOO_LARGE_MESSAGE = '通報の本文が大きすぎます(1MBまで)。';

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

const slug = text
  .transform((v) => cleanLine(v).toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'スラッグ(URLの一部)を入力してください。')
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'スラッグは英小文字・数字・ハイフンで64文字以内にしてください(例: xiuzhou-2026-parks)。'),
  );

/** A `datetime-local` value in Shanghai time; empty = no bound. */
const bound = (what: string) =>
  text.transform((v, ctx) => {
    const value = readLocalBound(v === 'none' ? '' : v);
    if (value === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${what}の日時を「2026-01-05 09:00」の形で入力してください。` });
      return z.NEVER;
    }
    return value;
  });

const officeHours = text
  .transform(cleanLine)
  .pipe(z.string().refine((v) => codePointLength(v) <= L.officeHoursMax, `受付時間は${L.officeHoursMax}文字以内にしてください。`))
  .transform((v) => v || null);

const reason = text
  .transform(cleanMultiline)
  .pipe(
    z
      .string()
      .min(1, '理由を入力してください(公開ページにも表示されます)。')
      .refine((v) => codePointLength(v) <= L.reasonMax, `理由は${L.reasonMax}文字以内にしてください。`),
  );

const checkbox = text.transform((v) => v === 'on' || v === '1' || v === 'true');

const periodFields = { opensAt: bound('募集開始'), closesAt: bound('募集終了'), officeHours };

/** Closes after opens, reported on the closing field. */
function periodRefinement(value: { opensAt: string | null; closesAt: string | null }, ctx: z.RefinementCtx) {
  const problem = checkPeriodBounds(value.opensAt, value.closesAt);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem, path: ['closesAt'] });
}

export const NoticeNewSchema = z
  .object({ intent: z.enum(['preview', 'publish', 'draft'], { errorMap: () => ({ message: '操作の種類が正しくありません。' }) }), slug, ...periodFields })
  .superRefine(periodRefinement);

export const NoticeReviseSchema = z.object({
  intent: z.enum(['preview', 'publish'], { errorMap: () => ({ message: '操作の種類が正しくありません。' }) }),
  baseRevisionNo: text.pipe(z.string().regex(/^[1-9]\d{0,5}$/, '比較した改訂の番号が正しくありません。').transform(Number)),
  confirmRenumbering: checkbox,
});

export const NoticePeriodSchema = z
  .discriminatedUnion(
    'intent',
    [
      z.object({ intent: z.literal('set'), ...periodFields }),
      z.object({
        intent: z.literal('extend'),
        closesAt: bound('新しい募集終了').pipe(z.string({ invalid_type_error: '新しい募集終了の日時を入力してください。' })),
        reason,
      }),
      z.object({ intent: z.literal('close'), reason }),
    ],
    { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? '操作の種類が正しくありません。' : ctx.defaultError }) },
  )
  .superRefine((value, ctx) => {
    if (value.intent === 'set') periodRefinement(value, ctx);
  });
export type NoticePeriodInput = z.output<typeof NoticePeriodSchema>;

export const NoticeDetailSchema = z.object({
  intent: z.literal('publish', { errorMap: () => ({ message: '操作の種類が正しくありません。' }) }),
});
