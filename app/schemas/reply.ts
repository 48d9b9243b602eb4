// The reply editor's form (field `intent` names the button pressed) and the
// content rules the replies model applies to every write. Limits and messages:
// ./reply-fields, which the page imports without zod.
import { z } from 'zod';
import { REPLY_LIMITS, REPLY_MESSAGES as M } from './reply-fields';
import { cleanMultiline, codePointLength } from '~/utils/text';

export { REPLY_LIMITS, REPLY_MESSAGE_VALUES, REPLY_MESSAGES } from './reply-fields';

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === true, z.boolean());
const multiline = (max: number, tooLong: string) => text.transform(cleanMultiline).refine((v) => codePointLength(v) <= max, tooLong);

/** What a reply says: cleaned, within its limits. An empty body is a draft's business; publishing refuses it. */
export const replyContentSchema = z.object({
  body: multiline(REPLY_LIMITS.bodyMax, M.bodyTooLong),
  showOpinion: checkbox,
  /** The redacted copy of the opinion; '' when there is none. */
  redactedOpinion: multiline(REPLY_LIMITS.redactedOpinionMax, M.redactedOpinionTooLong),
  /** On an edit of a published reply: tell the citizen again. */
  renotify: checkbox,
});

export type ReplyContent = z.output<typeof replyContentSchema>;

/** The name of the tick boxes "checked: this is not personal data", one per finding (value: its key). */
export const NOT_PERSONAL_DATA_FIELD = 'notPersonalData';

/**
 * The ticked findings' keys (every value of the field). A key the server does
 * not find in the text is ignored, so a stale or forged one confirms nothing.
 */
export const notPersonalDataSchema = z
  .array(z.unknown())
  .transform((values) => values.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 500).slice(0, 200));

export const unpublishReasonSchema = text
  .transform(cleanMultiline)
  .refine((v) => v !== '', M.reasonEmpty)
  .refine((v) => codePointLength(v) <= REPLY_LIMITS.reasonMax, M.reasonTooLong);

const templateId = text.pipe(
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, M.templateMissing)
    .transform(Number),
);

export const replyFormSchema = z.discriminatedUnion(
  'intent',
  [
    replyContentSchema.extend({ intent: z.literal('preview') }),
    replyContentSchema.extend({ intent: z.literal('template'), templateId }),
    replyContentSchema.extend({ intent: z.literal('draft') }),
    replyContentSchema.extend({ intent: z.literal('publish') }),
    z.object({ intent: z.literal('unpublish'), reason: unpublishReasonSchema }),
  ],
  {
    errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? M.intentInvalid : ctx.defaultError }),
  },
);

export type ReplyForm = z.output<typeof replyFormSchema>;
export type ReplyIntent = ReplyForm['intent'];
export const REPLY_INTENTS = ['preview', 'template', 'draft', 'publish', 'unpublish'] as const satisfies readonly ReplyIntent[];
