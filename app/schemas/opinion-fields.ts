// What the opinion form needs in the browser: field names, limits, messages
// and the shapes the action answers with. Deliberately free of zod: the report
// page's form imports this module, and anything it imports is sent to every
// reader (zod alone is ~14 KB gzipped). The parser in ./opinion builds on it.

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

/**
 * The form's messages as catalog keys (namespace common): the parser's issues
 * carry them (with their numbers as zod `params`), and the server translates
 * them into the page's language (parseOpinionForm, translateIssue).
 */
export const OPINION_MESSAGES = {
  bodyHint: 'validation.opinion.bodyHint',
  sectionInvalid: 'validation.opinion.sectionInvalid',
  itemInvalid: 'validation.opinion.itemInvalid',
  bodyEmpty: 'validation.opinion.bodyEmpty',
  bodyTooShort: 'validation.opinion.bodyTooShort',
  bodyTooLong: 'validation.opinion.bodyTooLong',
  nameTooLong: 'validation.opinion.nameTooLong',
  emailTooLong: 'validation.opinion.emailTooLong',
  emailInvalid: 'validation.opinion.emailInvalid',
  phoneInvalid: 'validation.opinion.phoneInvalid',
  phoneTooLong: 'validation.opinion.phoneTooLong',
  consentMissing: 'validation.opinion.consentMissing',
  contactMissing: 'validation.opinion.contactMissing',
} as const;

/** What POST /reports/:slug/opinions answers (as data, to a fetcher or to its own page). */
export type OpinionActionData =
  | { status: 'sent'; trackingNumber: string; receiptToken: string | null; duplicate: boolean }
  | { status: 'invalid'; errors: OpinionFieldErrors; values: OpinionFormValues }
  | { status: 'error'; message: string; phone?: string; mailbox?: string };
