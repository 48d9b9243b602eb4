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

const jaNumber = (n: number) => n.toLocaleString('ja-JP');

export const REPLY_MESSAGES = {
  intentInvalid: '操作の種類が正しくありません。',
  bodyHint: `文章のみで、改行はそのまま表示されます(${jaNumber(REPLY_LIMITS.bodyMax)}文字以内)。回答は公開されるため、投稿者の氏名や連絡先は書かないでください。`,
  bodyEmpty: '回答を入力してください。',
  bodyTooLong: `回答は${jaNumber(REPLY_LIMITS.bodyMax)}文字以内で入力してください。`,
  redactedOpinionEmpty: '公開する意見(個人情報を伏せた写し)を入力してください。',
  redactedOpinionTooLong: `公開する意見は${jaNumber(REPLY_LIMITS.redactedOpinionMax)}文字以内にしてください。`,
  templateMissing: '挿入するテンプレートを選んでください。',
  reasonHint: `理由は記録され、監査ログに残ります(公開はされません。${jaNumber(REPLY_LIMITS.reasonMax)}文字以内)。`,
  reasonEmpty: '公開を取り下げる理由を入力してください。',
  reasonTooLong: `理由は${jaNumber(REPLY_LIMITS.reasonMax)}文字以内で入力してください。`,
} as const;

export const TEMPLATE_MESSAGES = {
  intentInvalid: '操作の種類が正しくありません。',
  idInvalid: 'テンプレートの指定が正しくありません。',
  titleHint: `${jaNumber(TEMPLATE_LIMITS.titleMax)}文字以内。使用中のテンプレートと同じ件名は使えません。`,
  titleEmpty: 'テンプレートの件名を入力してください。',
  titleTooLong: `件名は${jaNumber(TEMPLATE_LIMITS.titleMax)}文字以内で入力してください。`,
  titleTaken: (title: string) => `件名「${title}」のテンプレートはすでにあります。一覧で区別できるよう、別の件名にしてください。`,
  bodyHint: `${jaNumber(TEMPLATE_LIMITS.bodyMax)}文字以内。`,
  bodyEmpty: 'テンプレートの本文を入力してください。',
  bodyTooLong: `本文は${jaNumber(TEMPLATE_LIMITS.bodyMax)}文字以内で入力してください。`,
} as const;
