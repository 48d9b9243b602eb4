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

const jaNumber = (n: number) => n.toLocaleString('ja-JP');

/** The Japanese messages of the form: shown as hints by the form, as errors by the parser. */
export const OPINION_MESSAGES = {
  bodyHint: `${OPINION_LIMITS.bodyMin}文字以上、${jaNumber(OPINION_LIMITS.bodyMax)}文字以内で入力してください。`,
  sectionInvalid: '対象の項目が正しくありません。ページを読み込み直してください。',
  itemInvalid: '対象の小項目が正しくありません。一覧から選んでください。',
  bodyEmpty: '意見を入力してください。',
  bodyTooShort: (n: number) => `意見は${OPINION_LIMITS.bodyMin}文字以上で入力してください(現在${n}文字)。`,
  bodyTooLong: (n: number) => `意見は${jaNumber(OPINION_LIMITS.bodyMax)}文字以内で入力してください(現在${jaNumber(n)}文字)。`,
  nameTooLong: `お名前は${OPINION_LIMITS.nameMax}文字以内で入力してください。`,
  emailTooLong: `メールアドレスは${OPINION_LIMITS.emailMax}文字以内で入力してください。`,
  emailInvalid: 'メールアドレスの形式が正しくありません(例:taro@example.jp)。',
  phoneInvalid: '電話番号は数字、スペース、ハイフン(-)、+、かっこのみで入力してください。',
  phoneTooLong: `電話番号は${OPINION_LIMITS.phoneMax}文字以内で入力してください。`,
  consentMissing: '送信するには「個人情報の取扱い」への同意が必要です。',
  contactMissing: '回答を希望する場合は、メールアドレスか電話番号のどちらかを入力してください。',
} as const;

/** What POST /reports/:slug/opinions answers (as data, to a fetcher or to its own page). */
export type OpinionActionData =
  | { status: 'sent'; trackingNumber: string; receiptToken: string | null; duplicate: boolean }
  | { status: 'invalid'; errors: OpinionFieldErrors; values: OpinionFormValues }
  | { status: 'error'; message: string; phone?: string; mailbox?: string };
