// The opinion form, shared by the component (limits, field names) and the
// action (parsing). Field names are a public contract: phone, post and API
// channels post the same names.
//
// Lengths are counted in Unicode code points ([...s].length), so an emoji such
// as 👍 counts as one character, as a person would count it (a ZWJ family emoji
// is several code points and counts as several). Text is normalized to NFC
// first, so a decomposed が (か + ゛) counts once.
import { z } from 'zod';

export const OPINION_LIMITS = {
  bodyMin: 10,
  bodyMax: 4000,
  nameMax: 60,
  emailMax: 254,
  phoneMax: 20,
} as const;

/** The hidden field a person never sees; bots fill it. */
export const HONEYPOT_FIELD = 'website';

export const OPINION_FIELDS = ['section', 'item', 'body', 'name', 'email', 'phone', 'replyWanted', 'publicOk', 'consent'] as const;
export type OpinionField = (typeof OPINION_FIELDS)[number];

export type OpinionFieldErrors = Partial<Record<OpinionField, string>>;
/** What the person typed, as typed (for re-showing the form). */
export type OpinionFormValues = {
  section: string;
  item: string;
  body: string;
  name: string;
  email: string;
  phone: string;
  replyWanted: boolean;
  publicOk: boolean;
  consent: boolean;
  formToken: string;
};

export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// C0 and C1 controls, DEL, and the invisible format characters that can hide
// text direction (bidi overrides) — but not \n or \t.
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_BREAKS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex
const ALL_CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Multi-line text: NFC, CRLF/CR → LF, controls other than LF and tab removed, trimmed. */
export function cleanMultiline(s: string): string {
  return s.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_BREAKS, '').trim();
}

/** One-line text: NFC, every control character (line breaks too) removed, trimmed. */
export function cleanLine(s: string): string {
  return s.normalize('NFC').replace(/[\r\n\t]+/g, ' ').replace(ALL_CONTROL, '').trim();
}

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes' || v === true, z.boolean());

// Deliberately simple: one @, no spaces or angle brackets, a dot in the domain.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const PHONE = /^[0-9 +\-()]+$/;

export const opinionSchema = z
  .object({
    section: text.pipe(
      z
        .string()
        .regex(/^\d{1,3}$/, '対象の項目が正しくありません。ページを読み込み直してください。')
        .transform(Number),
    ),
    item: text.pipe(
      z
        .string()
        .regex(/^(\d{1,3})?$/, '対象の小項目が正しくありません。一覧から選んでください。')
        .transform((v) => (v === '' ? null : Number(v))),
    ),
    body: text.transform(cleanMultiline).superRefine((v, ctx) => {
      const n = codePointLength(v);
      if (n === 0) ctx.addIssue({ code: 'custom', message: '意見を入力してください。' });
      else if (n < OPINION_LIMITS.bodyMin)
        ctx.addIssue({ code: 'custom', message: `意見は${OPINION_LIMITS.bodyMin}文字以上で入力してください(現在${n}文字)。` });
      else if (n > OPINION_LIMITS.bodyMax)
        ctx.addIssue({
          code: 'custom',
          message: `意見は${OPINION_LIMITS.bodyMax.toLocaleString('ja-JP')}文字以内で入力してください(現在${n.toLocaleString('ja-JP')}文字)。`,
        });
    }),
    name: text
      .transform(cleanLine)
      .refine((v) => codePointLength(v) <= OPINION_LIMITS.nameMax, `お名前は${OPINION_LIMITS.nameMax}文字以内で入力してください。`)
      .transform((v) => v || null),
    email: text
      .transform((v) => cleanLine(v))
      .refine((v) => v.length <= OPINION_LIMITS.emailMax, `メールアドレスは${OPINION_LIMITS.emailMax}文字以内で入力してください。`)
      .refine((v) => v === '' || EMAIL.test(v), 'メールアドレスの形式が正しくありません(例:taro@example.jp)。')
      .transform((v) => v || null),
    // NFKC turns full-width digits and hyphens (０５７３－…) into ASCII.
    phone: text
      .transform((v) => cleanLine(v.normalize('NFKC')).replace(/[\u2010-\u2015\u2212\u30FC]/g, '-'))
      .refine((v) => v === '' || PHONE.test(v), '電話番号は数字、スペース、ハイフン(-)、+、かっこのみで入力してください。')
      .refine((v) => codePointLength(v) <= OPINION_LIMITS.phoneMax, `電話番号は${OPINION_LIMITS.phoneMax}文字以内で入力してください。`)
      .transform((v) => v || null),
    replyWanted: checkbox,
    publicOk: checkbox,
    consent: checkbox.refine((v) => v, '送信するには「個人情報の取扱い」への同意が必要です。'),
    formToken: text.transform((v) => (/^[A-Za-z0-9_-]{8,80}$/.test(v) ? v : null)),
  })
  .superRefine((v, ctx) => {
    if (v.replyWanted && !v.email && !v.phone) {
      ctx.addIssue({
        code: 'custom',
        path: ['email'],
        message: '回答を希望する場合は、メールアドレスか電話番号のどちらかを入力してください。',
      });
    }
  });

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

/** Parses a submitted form; on failure, one Japanese message per field (the first). */
export function parseOpinionForm(form: FormLike): OpinionParseResult {
  const raw: Record<string, unknown> = {};
  for (const name of [...OPINION_FIELDS, 'formToken']) raw[name] = form.get(name) ?? undefined;
  const result = opinionSchema.safeParse(raw);
  if (result.success) return { success: true, data: result.data };
  const errors: OpinionFieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as OpinionField;
    if (OPINION_FIELDS.includes(field) && !errors[field]) errors[field] = issue.message;
  }
  return { success: false, errors };
}

/** What POST /reports/:slug/opinions answers (as data, to a fetcher or to its own page). */
export type OpinionActionData =
  | { status: 'sent'; trackingNumber: string; receiptToken: string | null; duplicate: boolean }
  | { status: 'invalid'; errors: OpinionFieldErrors; values: OpinionFormValues }
  | { status: 'error'; message: string; phone?: string; mailbox?: string };
