// The opinion form's parser, for the server (the action, staff entry). The
// browser-safe parts (names, limits, messages) live in ./opinion-fields, which
// the form component imports so that zod stays out of the browser bundle.
// Field names are a public contract: phone, post and API channels post the
// same names.
//
// Lengths are counted in Unicode code points ([...s].length), so an emoji such
// as 👍 counts as one character, as a person would count it (a ZWJ family emoji
// is several code points and counts as several). Text is normalized to NFC
// first, so a decomposed が (か + ゛) counts once.
import { z } from 'zod';
import {
  OPINION_FIELDS,
  OPINION_LIMITS,
  OPINION_MESSAGES as M,
  type OpinionField,
  type OpinionFieldErrors,
  type OpinionFormValues,
} from './opinion-fields';
import { cleanLine, cleanMultiline, codePointLength } from '~/utils/text';

// Re-exported so that server code keeps one import.
export { HONEYPOT_FIELD, OPINION_FIELDS, OPINION_LIMITS, OPINION_MESSAGES } from './opinion-fields';
export type { OpinionActionData, OpinionField, OpinionFieldErrors, OpinionFormValues } from './opinion-fields';

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes' || v === true, z.boolean());

// Deliberately simple: one @, no spaces or angle brackets, a dot in the
// domain, and nothing in the domain that a URL would read as a query,
// fragment, path or escape (?, &, =, #, /, %): an address is put into mailto:
// links, where "?subject=…&body=…" would add text of the sender's choosing.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"?&=#/%]+\.[^\s@<>()[\]\\,;:"?&=#/%]+$/;
const PHONE = /^[0-9 +\-()]+$/;

/** The fields one by one, for forms that post some of them (staff recording). */
export const opinionFields = z.object({
  section: text.pipe(
    z
      .string()
      .regex(/^\d{1,3}$/, M.sectionInvalid)
      .transform(Number),
  ),
  item: text.pipe(
    z
      .string()
      .regex(/^(\d{1,3})?$/, M.itemInvalid)
      .transform((v) => (v === '' ? null : Number(v))),
  ),
  body: text.transform(cleanMultiline).superRefine((v, ctx) => {
    const n = codePointLength(v);
    if (n === 0) ctx.addIssue({ code: 'custom', message: M.bodyEmpty });
    else if (n < OPINION_LIMITS.bodyMin) ctx.addIssue({ code: 'custom', message: M.bodyTooShort, params: { count: n, min: OPINION_LIMITS.bodyMin } });
    else if (n > OPINION_LIMITS.bodyMax) ctx.addIssue({ code: 'custom', message: M.bodyTooLong, params: { count: n, max: OPINION_LIMITS.bodyMax } });
  }),
  name: text
    .transform(cleanLine)
    .refine((v) => codePointLength(v) <= OPINION_LIMITS.nameMax, { message: M.nameTooLong, params: { max: OPINION_LIMITS.nameMax } })
    .transform((v) => v || null),
  email: text
    .transform((v) => cleanLine(v))
    .refine((v) => v.length <= OPINION_LIMITS.emailMax, { message: M.emailTooLong, params: { max: OPINION_LIMITS.emailMax } })
    .refine((v) => v === '' || EMAIL.test(v), M.emailInvalid)
    .transform((v) => v || null),
  // NFKC turns full-width digits and hyphens (０５７３－…) into ASCII.
  phone: text
    .transform((v) => cleanLine(v.normalize('NFKC')).replace(/[\u2010-\u2015\u2212\u30FC]/g, '-'))
    .refine((v) => v === '' || PHONE.test(v), M.phoneInvalid)
    .refine((v) => codePointLength(v) <= OPINION_LIMITS.phoneMax, { message: M.phoneTooLong, params: { max: OPINION_LIMITS.phoneMax } })
    .transform((v) => v || null),
  replyWanted: checkbox,
  publicOk: checkbox,
  consent: checkbox.refine((v) => v, M.consentMissing),
  formToken: text.transform((v) => (/^[A-Za-z0-9_-]{8,80}$/.test(v) ? v : null)),
});

/** An answer needs a way to reach the person. */
export function requireContactForReply(
  v: { replyWanted: boolean; email: string | null; phone: string | null },
  ctx: z.RefinementCtx,
): void {
  if (v.replyWanted && !v.email && !v.phone) {
    ctx.addIssue({ code: 'custom', path: ['email'], message: M.contactMissing });
  }
}

export const opinionSchema = opinionFields.superRefine(requireContactForReply);

export type OpinionInput = z.output<typeof opinionSchema>;

type FormLike = { get(name: string): unknown };

/** The fields as typed, for showing the form again. */
export function opinionFormValues(form: FormLike): OpinionFormValues {
  const s = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : '';
  };
  const b = (name: string) => ['on', 'true', '1', 'yes'].includes(s(name));
  return {
    section: s('section'),
    item: s('item'),
    body: s('body'),
    name: s('name'),
    email: s('email'),
    phone: s('phone'),
    replyWanted: b('replyWanted'),
    publicOk: b('publicOk'),
    consent: b('consent'),
    formToken: s('formToken'),
  };
}

export type OpinionParseResult = { success: true; data: OpinionInput } | { success: false; errors: OpinionFieldErrors };

/**
 * A zod issue's message in the reader's language: messages that are catalog
 * keys (validation.…) are translated with the issue's params; any other text
 * is shown as it is. Without a `t`, the key is left for the caller.
 */
export function translateIssue(issue: z.ZodIssue, t?: (key: string, values?: Record<string, unknown>) => string): string {
  if (!t || !MESSAGE_KEY.test(issue.message)) return issue.message;
  return t(issue.message, (issue as { params?: Record<string, unknown> }).params ?? {});
}

const MESSAGE_KEY = /^validation\.[A-Za-z0-9.]+$/;

/** Parses a submitted form; on failure, one message per field (the first), in the language of `t` (else keys). */
export function parseOpinionForm(form: FormLike, t?: (key: string, values?: Record<string, unknown>) => string): OpinionParseResult {
  const raw: Record<string, unknown> = {};
  for (const name of [...OPINION_FIELDS, 'formToken']) raw[name] = form.get(name) ?? undefined;
  const result = opinionSchema.safeParse(raw);
  if (result.success) return { success: true, data: result.data };
  const errors: OpinionFieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as OpinionField;
    if (OPINION_FIELDS.includes(field) && !errors[field]) errors[field] = translateIssue(issue, t);
  }
  return { success: false, errors };
}
