// The intake API's request and response shapes, written once: the routes
// parse with them and app/server/api-openapi.server.ts generates the OpenAPI
// 3.1 description from them. An opinion from the API passes the same rules as
// the web form (./opinion): lengths, email and phone formats, consent, and a
// contact when a reply is wanted, with the same Japanese messages.
//
// Response shapes are strict, so the description says additionalProperties:
// false and a test that validates responses against it catches any field
// that should not be there (a name, an email).
//
// Server-side only (the API routes import it): zod-to-openapi patches zod here.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { OPINION_FIELDS, OPINION_LIMITS, opinionSchema, OPINION_MESSAGES, translateIssue, type OpinionField } from './opinion';

extendZodWithOpenApi(z);

/** The channels another system may report (the web form has its own route). */
export const API_CHANNELS = ['phone', 'post', 'visit', 'hotline', 'api'] as const;
export type ApiChannel = (typeof API_CHANNELS)[number];

export const API_SCOPES = ['read', 'write'] as const;

const nullableText = (description: string, example: string) =>
  z.string().nullable().optional().openapi({ description, example });

export const ApiOpinionInputSchema = z
  .object({
    report: z.string().min(1).max(100).openapi({ description: 'The notice, by the slug in its address (/reports/{slug}).', example: 'xiuzhou-inspection-2023' }),
    section: z.number().int().min(0).max(999).openapi({ description: 'Section number; 0 = the notice as a whole.', example: 2 }),
    item: z.number().int().min(1).max(999).nullable().optional().openapi({ description: 'Item number within the section (optional).', example: 1 }),
    body: z.string().openapi({ description: 'The opinion, 10 to 4,000 characters.', example: '河川の清掃の進み具合を、月に一度は公表してください。' }),
    channel: z.enum(API_CHANNELS).openapi({ description: 'How the opinion reached the other system.' }),
    receivedAt: z
      .string()
      .datetime({ offset: true })
      .openapi({ description: 'When it was received (ISO 8601 with an offset); at most one year ago, not in the future.', example: '2026-12-01T09:30:00+08:00' }),
    name: nullableText('Name of the person (up to 60 characters).', '山田太郎'),
    email: nullableText('Email of the person; they are sent an acknowledgement.', 'taro@example.jp'),
    phone: nullableText('Phone number of the person.', '0573-1234-5678'),
    replyWanted: z.boolean().optional().openapi({ description: 'The person wants a reply (needs an email or a phone).' }),
    publicOk: z.boolean().optional().openapi({ description: 'The person agrees that a redacted copy may be shown beside a published reply.' }),
    consent: z.literal(true).openapi({ description: 'The person agreed to the handling of personal information.' }),
  })
  .strict()
  .openapi('OpinionInput');

export const OpinionCreatedSchema = z
  .object({
    trackingNumber: z.string().openapi({ example: 'XZ-2026-7K3M-Q9TD' }),
    statusUrl: z.string().url().openapi({ description: 'Where GET answers this opinion\'s status.' }),
  })
  .strict()
  .openapi('OpinionCreated');

const PublishedReplySchema = z
  .object({
    body: z.string(),
    publishedAt: z.string().nullable(),
    updatedAt: z.string(),
    opinion: z.string().nullable().openapi({ description: 'The redacted opinion, only when the person agreed and the office chose to show it.' }),
  })
  .strict()
  .openapi('PublishedReply');

export const OpinionStatusSchema = z
  .object({
    trackingNumber: z.string(),
    status: z.enum(['new', 'triaged', 'in_progress', 'answered', 'closed', 'out_of_scope', 'duplicate']),
    statusLabel: z.string().openapi({ example: '対応中' }),
    receivedAt: z.string(),
    report: z.object({ slug: z.string(), title: z.string() }).strict(),
    section: z.number().int(),
    sectionTitle: z.string(),
    item: z.number().int().nullable(),
    itemHeading: z.string().nullable(),
    reply: PublishedReplySchema.nullable(),
  })
  .strict()
  .openapi('OpinionStatus');

export const PublicReplySchema = z
  .object({
    id: z.number().int(),
    section: z.number().int(),
    item: z.number().int().nullable(),
    receivedAt: z.string(),
    opinion: z.string().nullable().openapi({ description: 'The redacted opinion, only when the person agreed and the office chose to show it.' }),
    body: z.string(),
    publishedAt: z.string(),
    updatedAt: z.string().nullable().openapi({ description: 'Set only when the reply changed after it was first published.' }),
    url: z.string().url().openapi({ description: 'The reply on the public pages.' }),
  })
  .strict()
  .openapi('PublicReply');

export const PublicRepliesPageSchema = z
  .object({
    report: z.object({ slug: z.string(), title: z.string() }).strict(),
    replies: z.array(PublicReplySchema),
    page: z.number().int(),
    perPage: z.number().int(),
    total: z.number().int(),
    pageCount: z.number().int(),
    next: z.string().url().nullable(),
    prev: z.string().url().nullable(),
  })
  .strict()
  .openapi('PublicRepliesPage');

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'about:blank' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ pointer: z.string().openapi({ description: 'JSON Pointer to the field', example: '/body' }), detail: z.string() }).strict())
      .optional(),
  })
  .strict()
  .openapi('Problem', { description: 'RFC 9457 problem details.' });

export const RepliesQuerySchema = z.object({
  page: z.string().regex(/^[1-9]\d{0,5}$/).optional().openapi({ description: 'Page number, from 1.', example: '1' }),
  perPage: z.string().regex(/^[1-9]\d{0,2}$/).optional().openapi({ description: 'Replies per page, 1 to 100 (default 50).', example: '50' }),
});

export const TRACKING_PARAM = z.object({ trackingNumber: z.string().openapi({ example: 'XZ-2026-7K3M-Q9TD' }) });
export const SLUG_PARAM = z.object({ slug: z.string().openapi({ example: 'xiuzhou-inspection-2023' }) });

// --- Parsing an opinion -----------------------------------------------------------

export type FieldProblem = { pointer: string; detail: string };

export type ApiOpinion = {
  report: string;
  channel: ApiChannel;
  receivedAt: Date;
  section: number;
  item: number | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  replyWanted: boolean;
  publicOk: boolean;
};

const TYPE_NAMES: Record<string, string> = {
  string: '文字列',
  number: '数値',
  boolean: 'true か false',
  object: 'オブジェクト',
  null: 'null',
};

/** Japanese messages for the JSON-level checks (the form-level ones come from ./opinion). */
const japaneseErrors: z.ZodErrorMap = (issue, ctx) => {
  const field = issue.path.length ? `「${issue.path.join('.')}」` : '送信内容';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return { message: `${field}を指定してください。` };
      if (issue.expected === 'number' && (issue.path[0] === 'section' || issue.path[0] === 'item')) return { message: `${field}は整数で指定してください。` };
      return { message: `${field}は${TYPE_NAMES[issue.expected] ?? issue.expected}で指定してください。` };
    case 'invalid_literal':
      // The key is translated in parseApiOpinion with the form's other messages.
      return { message: issue.path[0] === 'consent' ? OPINION_MESSAGES.consentMissing : `${field}の値が正しくありません。` };
    case 'invalid_enum_value':
      return { message: `${field}は次のいずれかで指定してください: ${issue.options.join(', ')}。` };
    case 'invalid_string':
      if (issue.validation === 'datetime') return { message: `${field}はISO 8601の日時(例: 2026-12-01T09:30:00+08:00)で指定してください。` };
      return { message: `${field}の形式が正しくありません。` };
    case 'too_small':
    case 'too_big':
    case 'not_multiple_of':
      if (issue.path[0] === 'report') return { message: `${field}には通報のスラッグ(例: xiuzhou-inspection-2023)を指定してください。` };
      return { message: `${field}は範囲内の整数で指定してください(section は0〜999、item は1〜999)。` };
    default:
      return { message: ctx.defaultError };
  }
};

const pointer = (path: (string | number)[]) => (path.length ? '/' : '') + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Validates an API opinion: JSON types, then the web form's rules on the same
 * values. Every field's first problem is reported, with its JSON Pointer.
 */
export function parseApiOpinion(
  input: unknown,
  now: Date = new Date(),
  /** Translates the form's message keys (validation.…); the server passes its Japanese `t`. */
  t?: (key: string, values?: Record<string, unknown>) => string,
): { success: true; data: ApiOpinion } | { success: false; errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const add = (problem: FieldProblem) => {
    if (!errors.some((e) => e.pointer === problem.pointer)) errors.push(problem);
  };
  const shape = ApiOpinionInputSchema.safeParse(input, { errorMap: japaneseErrors });
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add({ pointer: pointer([key]), detail: `「${key}」は受け付けない項目です。` });
      else add({ pointer: pointer(issue.path), detail: translateIssue(issue, t) });
    }
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { success: false, errors };

  // The form's rules, on whichever values have the right JSON type (the
  // others were reported above).
  const raw = input as Record<string, unknown>;
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
  const int = (k: string) => (typeof raw[k] === 'number' && Number.isInteger(raw[k]) ? String(raw[k]) : '');
  const form = opinionSchema.safeParse({
    section: int('section') || '0',
    item: int('item'),
    body: typeof raw.body === 'string' ? raw.body : 'x'.repeat(OPINION_LIMITS.bodyMin),
    name: str('name'),
    email: str('email'),
    phone: str('phone'),
    replyWanted: raw.replyWanted === true,
    publicOk: raw.publicOk === true,
    consent: true,
    formToken: '',
  });
  if (!form.success) {
    for (const issue of form.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (OPINION_FIELDS.includes(field as OpinionField)) add({ pointer: pointer([field]), detail: translateIssue(issue, t) });
    }
  }
  if (shape.success) {
    const receivedAt = new Date(shape.data.receivedAt).getTime();
    if (receivedAt > now.getTime() + 5 * 60_000) add({ pointer: '/receivedAt', detail: '受付日時に未来の日時は指定できません。' });
    else if (receivedAt < now.getTime() - 366 * 86_400_000) add({ pointer: '/receivedAt', detail: '受付日時は1年以内の日時を指定してください。' });
  }
  if (!shape.success || !form.success || errors.length) {
    if (!errors.length) add({ pointer: '', detail: '送信内容が正しくありません。' });
    return { success: false, errors };
  }
  const v = shape.data;
  const d = form.data;
  return {
    success: true,
    data: {
      report: v.report,
      channel: v.channel,
      receivedAt: new Date(v.receivedAt),
      section: d.section,
      item: d.item,
      body: d.body,
      name: d.name,
      email: d.email,
      phone: d.phone,
      replyWanted: d.replyWanted,
      publicOk: d.publicOk,
    },
  };
}
