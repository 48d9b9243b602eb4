// What a reply must meet before it is published (replies-publish.server.ts
// refuses with these, the editor's preview in replies.server.ts warns with
// them): the text's own rules, the citizen's consent, and no personal data
// in what goes public unless a moderator has looked at it.
import type { TFunction } from 'i18next';
import { findPublicationPersonalData, openFindings, type PersonalDataFinding } from '~/domain/personal-data';
import { REPLY_MESSAGES, replyContentSchema, type ReplyContent } from '~/schemas/reply';
import { japanese, UserError, wordMessage, type UserMessage } from '~/utils/user-error.server';
import type { OpinionRow, ReplyInput } from '~/models/replies.server';

/**
 * Publishing refused because the reply or the shown copy still holds what
 * looks like personal data; `findings` are the open ones, for the editor to
 * list beside their tick boxes.
 */
export class PersonalDataError extends UserError {
  constructor(
    readonly parts: UserMessage[],
    readonly findings: PersonalDataFinding[]
  ) {
    super(parts[parts.length - 1].key, 400);
    this.message = parts.map((p) => japanese(p)).join('');
    this.name = 'PersonalDataError';
  }

  /** Its sentences, each from the catalog, in `t`'s language. */
  override describe(t: TFunction, _extra?: Record<string, unknown>): string {
    return this.parts.map((p) => wordMessage(t, p)).join('');
  }
}

const REFUSALS = {
  noConsent: 'models:replies.noConsent',
  personalData: (copy: number, body: number, fixedOnly: boolean): UserMessage[] => [
    ...(copy ? [{ key: 'models:replies.personalDataInCopy', values: { count: copy } }] : []),
    ...(body ? [{ key: 'models:replies.personalDataInBody', values: { count: body } }] : []),
    { key: fixedOnly ? 'models:replies.personalDataContact' : 'models:replies.personalDataReview' },
  ],
} as const;

export const WARNINGS = {
  noConsent: { key: 'models:replies.warnNoConsent' },
  copyEmpty: { key: 'models:replies.warnCopyEmpty' },
  openFindings: (n: number): UserMessage => ({ key: 'models:replies.warnOpenFindings', values: { count: n } }),
  bodyEmpty: { key: 'models:replies.warnBodyEmpty' },
} as const;

/** Every finding in what publishing `content` would show (the copy only when it is shown). */
export function publicationFindings(opinion: OpinionRow, content: ReplyContent): PersonalDataFinding[] {
  return findPublicationPersonalData(
    {
      body: content.body,
      showOpinion: content.showOpinion && opinion.public_ok === 1,
      redactedOpinion: content.redactedOpinion,
    },
    opinion
  );
}

/** The ticked findings that are really there now, as the publish audit row records them. */
export function confirmedFindings(findings: PersonalDataFinding[], keys: readonly string[] | undefined) {
  const ticked = new Set(keys ?? []);
  return findings
    .filter((f) => f.confirmable && ticked.has(f.key))
    .map((f) => ({ field: f.field, kind: f.kind, text: f.text }));
}

/** Cleans and measures the text (the schema's rules, for every caller). */
export function checkContent(input: ReplyInput): ReplyContent {
  const parsed = replyContentSchema.safeParse(input);
  if (!parsed.success) throw new UserError(parsed.error.issues[0].message);
  return parsed.data;
}

/** Refusals a moderator can act on, each naming the field. */
export function checkInput(opinion: OpinionRow, input: ReplyInput, forPublishing: boolean): ReplyContent {
  const content = checkContent(input);
  if (content.showOpinion && opinion.public_ok !== 1) throw new UserError(REFUSALS.noConsent);
  if (forPublishing) {
    if (!content.body) throw new UserError(REPLY_MESSAGES.bodyEmpty);
    if (content.showOpinion && !content.redactedOpinion) throw new UserError(REPLY_MESSAGES.redactedOpinionEmpty);
    // A last lock: nothing that looks like personal data goes public unless a
    // moderator has looked at it and ticked it; the submitter's own contact never.
    const open = openFindings(publicationFindings(opinion, content), input.notPersonalData ?? []);
    if (open.length) {
      const inCopy = open.filter((f) => f.field === 'redactedOpinion').length;
      throw new PersonalDataError(
        REFUSALS.personalData(
          inCopy,
          open.length - inCopy,
          open.every((f) => !f.confirmable)
        ),
        open
      );
    }
  }
  return content;
}

/** Findings in the reply and in the copy as if it were shown (what the editor lists). */
export function listedFindings(
  opinion: OpinionRow,
  input: Pick<ReplyInput, 'body' | 'redactedOpinion'>
): PersonalDataFinding[] {
  const parsed = replyContentSchema.safeParse({ ...input, showOpinion: true });
  const content = parsed.success
    ? parsed.data
    : { body: input.body, showOpinion: true, redactedOpinion: input.redactedOpinion ?? '', renotify: false };
  return publicationFindings(opinion, content);
}
