// What the reply editor and the template page need in the browser: limits and
// messages. Free of zod and of any *.server import: under the classic compiler
// a *.server module is empty in the browser bundle, and the reply editor once
// crashed at load reading its limit from models/replies.server. The parsers in
// ./reply and ./reply-template build on this file; the models use them.
//
// Lengths are code points (~/utils/text), as a person counts characters. The
// textareas carry no maxLength: the browser would count UTF-16 units and stop
// an emoji-heavy text short of the limit the server applies.

export const REPLY_LIMITS = {
  bodyMax: 10_000,
  redactedOpinionMax: 8_000,
  reasonMax: 500,
} as const;

export const TEMPLATE_LIMITS = {
  titleMax: 100,
  bodyMax: 5_000,
} as const;

/**
 * The reply editor's messages: keys of the staff catalog (replyForm.*), shown
 * through the page's `t` with REPLY_MESSAGE_VALUES. A model that refuses a
 * write throws the key; the route translates it.
 */
export const REPLY_MESSAGES = {
  intentInvalid: 'replyForm.errors.intentInvalid',
  bodyHint: 'replyForm.bodyHint',
  bodyEmpty: 'replyForm.errors.bodyEmpty',
  bodyTooLong: 'replyForm.errors.bodyTooLong',
  redactedOpinionEmpty: 'replyForm.errors.redactedOpinionEmpty',
  redactedOpinionTooLong: 'replyForm.errors.redactedOpinionTooLong',
  templateMissing: 'replyForm.errors.templateMissing',
  reasonHint: 'replyForm.reasonHint',
  reasonEmpty: 'replyForm.errors.reasonEmpty',
  reasonTooLong: 'replyForm.errors.reasonTooLong',
} as const;

/** The values REPLY_MESSAGES interpolate ({{bodyMax, number}} …). */
export const REPLY_MESSAGE_VALUES = { ...REPLY_LIMITS };
