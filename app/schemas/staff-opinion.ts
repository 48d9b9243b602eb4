// Forms of the staff console's opinion pages: the actions on one opinion
// (field `intent` names which), and the extra fields of recording a phone,
// post or visit opinion (the text, name and contact reuse the public form's
// rules in ./opinion). Messages are keys of the staff catalog, translated
// where they are shown with STAFF_OPINION_MESSAGE_VALUES (the limits).
import { z } from 'zod';
import { opinionFields, requireContactForReply } from './opinion';
import { cleanLine, cleanMultiline, cleanWords, codePointLength } from '~/utils/text';
import { fromLocalDateTime, toLocalDateTime } from '~/utils/local-time';

const STATUSES = ['new', 'triaged', 'in_progress', 'answered', 'closed', 'out_of_scope', 'duplicate'] as const;

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());
const optionalId = text.pipe(
  z
    .string()
    .regex(/^\d{0,9}$/, 'opinionForm.errors.chooseFromList')
    .transform((v) => (v === '' ? null : Number(v))),
);

export const NOTE_MAX = 2000;

/** How a citizen told the office they withdraw consent to publication (recorded by staff). */
export const CONSENT_WITHDRAWAL_CHANNELS = ['phone', 'post', 'visit', 'email', 'other'] as const;
export type ConsentWithdrawalChannel = (typeof CONSENT_WITHDRAWAL_CHANNELS)[number];
export const CONSENT_NOTE_MAX = 500;

export const OPINION_INTENTS = ['status', 'assign', 'due', 'note', 'consent'] as const;
export type OpinionIntent = (typeof OPINION_INTENTS)[number];

/** The message for a form whose `intent` is missing or unknown (a stale page, a hand-made post). */
export const UNKNOWN_INTENT = 'opinionForm.errors.unknownIntent';

/** A YYYY-MM-DD that names a real calendar day (not 2030-02-31). */
function isCalendarDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(day);
}

export const opinionActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('status'),
      status: z.enum(STATUSES, { errorMap: () => ({ message: 'opinionForm.errors.status' }) }),
      duplicateOf: text.transform((v) => cleanLine(v.normalize('NFKC'))),
    }),
    z.object({ intent: z.literal('assign'), unitId: optionalId, assigneeId: optionalId }),
    z.object({
      intent: z.literal('due'),
      dueDate: text.pipe(
        z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'opinionForm.errors.dueMissing')
          .refine(isCalendarDay, 'opinionForm.errors.dueInvalid'),
      ),
    }),
    z.object({
      intent: z.literal('note'),
      body: text
        .transform(cleanMultiline)
        .pipe(
          z
            .string()
            .min(1, 'opinionForm.errors.noteEmpty')
            .refine((v) => codePointLength(v) <= NOTE_MAX, 'opinionForm.errors.noteTooLong'),
        ),
    }),
    z.object({
      intent: z.literal('consent'),
      via: z.enum(CONSENT_WITHDRAWAL_CHANNELS, { errorMap: () => ({ message: 'opinionForm.errors.via' }) }),
      note: text
        .transform(cleanMultiline)
        .refine((v) => codePointLength(v) <= CONSENT_NOTE_MAX, 'opinionForm.errors.consentNoteTooLong'),
      confirm: z.literal('on', { errorMap: () => ({ message: 'opinionForm.errors.confirm' }) }),
    }),
  ],
  { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? UNKNOWN_INTENT : ctx.defaultError }) },
);

export type OpinionAction = z.output<typeof opinionActionSchema>;

/** What an action on the opinion page answers: which form, and its message or field errors. */
export type OpinionActionResult = {
  intent: OpinionIntent | null;
  ok: boolean;
  message: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
};

export const STAFF_CHANNELS = ['phone', 'post', 'visit'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

/** The postal address for an answer by post: printed as the addressee of the acknowledgement. */
export const ADDRESS_MAX = 200;

/** The values the messages above interpolate ({{noteMax, number}} …). */
export const STAFF_OPINION_MESSAGE_VALUES = { noteMax: NOTE_MAX, consentNoteMax: CONSENT_NOTE_MAX, addressMax: ADDRESS_MAX };

/** Current time as a datetime-local value in Asia/Shanghai (YYYY-MM-DDTHH:mm). */
export function shanghaiLocalNow(now = new Date()): string {
  return toLocalDateTime(now);
}

/**
 * The staff recording form: where and when the opinion arrived, what it is
 * about, and the public form's text, name and contact rules (staff record
 * consent on the person's behalf), plus a postal address.
 * `target` is "reportId:section:item" (item empty for a whole section).
 */
export function staffRecordSchema(now: Date = new Date()) {
  return opinionFields
    .pick({ body: true, name: true, email: true, phone: true, replyWanted: true, publicOk: true, formToken: true })
    .extend({
      channel: z.enum(STAFF_CHANNELS, { errorMap: () => ({ message: 'recordForm.errors.channel' }) }),
      receivedAt: text.pipe(
        z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'recordForm.errors.receivedAtMissing')
          .transform(fromLocalDateTime)
          .pipe(
            z
              .date({ invalid_type_error: 'recordForm.errors.receivedAtInvalid' })
              // A few minutes' grace for a clock that runs ahead.
              .refine((d) => d.getTime() <= now.getTime() + 5 * 60_000, 'recordForm.errors.receivedAtFuture')
              .refine((d) => d.getTime() >= now.getTime() - 366 * 86_400_000, 'recordForm.errors.receivedAtOld'),
          ),
      ),
      target: text.pipe(
        z
          .string()
          .regex(/^\d{1,9}:\d{1,3}:(\d{1,3})?$/, 'recordForm.errors.target')
          .transform((v) => {
            const [reportId, section, item] = v.split(':');
            return { reportId: Number(reportId), section: Number(section), item: item === '' ? null : Number(item) };
          }),
      ),
      address: text
        .transform(cleanWords)
        .refine((v) => codePointLength(v) <= ADDRESS_MAX, 'recordForm.errors.addressTooLong')
        .transform((v) => v || null),
    })
    .superRefine(requireContactForReply);
}

export type StaffRecordInput = z.output<ReturnType<typeof staffRecordSchema>>;
export type StaffRecordField = 'channel' | 'receivedAt' | 'target' | 'address' | 'body' | 'name' | 'email' | 'phone' | 'replyWanted' | 'publicOk';
