// The reply-template page's forms (field `intent` names the action) and the
// content rules the templates model applies to every write. Limits:
// ./reply-fields, which the page imports without zod. Messages are keys of the
// `admin` catalog (./admin-messages).
import { z } from 'zod';
import { TEMPLATE_LIMITS } from './reply-fields';
import { cleanMultiline, cleanWords, codePointLength } from '~/utils/text';

export { TEMPLATE_LIMITS } from './reply-fields';

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

export const templateContentSchema = z.object({
  title: text
    .transform(cleanWords)
    .refine((v) => v !== '', 'admin:validation.templateTitleRequired')
    .refine((v) => codePointLength(v) <= TEMPLATE_LIMITS.titleMax, 'admin:validation.templateTitleTooLong'),
  body: text
    .transform(cleanMultiline)
    .refine((v) => v !== '', 'admin:validation.templateBodyRequired')
    .refine((v) => codePointLength(v) <= TEMPLATE_LIMITS.bodyMax, 'admin:validation.templateBodyTooLong'),
});

export type TemplateContent = z.output<typeof templateContentSchema>;

const templateId = text.pipe(
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'admin:validation.templateIdInvalid')
    .transform(Number),
);

export const templateFormSchema = z.discriminatedUnion(
  'intent',
  [
    templateContentSchema.extend({ intent: z.literal('create') }),
    templateContentSchema.extend({ intent: z.literal('update'), templateId }),
    z.object({ intent: z.literal('retire'), templateId }),
    z.object({ intent: z.literal('restore'), templateId }),
  ],
  {
    errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? 'admin:validation.intentInvalid' : ctx.defaultError }),
  },
);

export type TemplateForm = z.output<typeof templateFormSchema>;
