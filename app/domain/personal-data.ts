// The check made when a moderator publishes: every redaction rule (phones,
// emails, 18-digit ID numbers, the submitter's own name, email, phone and
// postal address in their spaced, full-width and zero-width variants) and
// the self-introductions that usually carry a name ("私は○○です", "氏名:○○",
// "我是○○", "我叫○○"), run over the reply and over the opinion copy that
// will be shown. Publishing is refused while a finding is open; a moderator
// closes one by ticking "checked: this is not personal data" for it (the
// publish audit row lists every tick). The submitter's own email, phone and
// address cannot be ticked: they are personal data by definition.
// Pure and browser-safe: the reply editor lists the findings beside their boxes.
import { findNormalizedPattern, findRedactionMatches, type RedactionKind, type Submitter } from './redact';

export type PersonalDataKind = RedactionKind | 'self_introduction';

/** Where a finding is: the reply's text, or the opinion copy shown beside it. */
export type PersonalDataField = 'body' | 'redactedOpinion';

export type PersonalDataFinding = {
  /** Stable across edits elsewhere in the text: field, kind and the match as normalized. */
  key: string;
  field: PersonalDataField;
  kind: PersonalDataKind;
  /** The match as written, and a few characters either side for the moderator. */
  text: string;
  before: string;
  after: string;
  /** False for the submitter's own email, phone and address: never publishable. */
  confirmable: boolean;
};

export const PERSONAL_DATA_KIND_LABELS: Record<PersonalDataKind, string> = {
  phone: '電話番号',
  email: 'メールアドレス',
  id_number: '身分証番号(18桁)',
  submitter_name: '投稿者の氏名',
  submitter_email: '投稿者のメールアドレス',
  submitter_phone: '投稿者の電話番号',
  submitter_address: '投稿者の住所',
  self_introduction: '名乗り(氏名の可能性)',
};

export const PERSONAL_DATA_FIELD_LABELS: Record<PersonalDataField, string> = {
  body: '回答',
  redactedOpinion: '公開する意見',
};

const NOT_CONFIRMABLE = new Set<PersonalDataKind>(['submitter_email', 'submitter_phone', 'submitter_address']);

// Written for the normalized text (NFKC: "氏名:" and "氏名:" are one; lower
// case). Group 1 is the probable name. A name is a run of kanji, katakana or
// Latin letters: "私は秀洲区の住民です" (with hiragana) is not one.
const NAME = '[\\p{Script=Han}\\p{Script=Katakana}ー々a-z]';
const SELF_INTRODUCTIONS: RegExp[] = [
  new RegExp(`(?:私|わたし|僕|ぼく)は(${NAME}{2,10})(?:です|と申します|といいます|でございます)`, 'u'),
  new RegExp(`(?<!${NAME})(${NAME}{2,10})(?:と申します|と言います|といいます)`, 'u'),
  /(?:氏名|お名前|名前|姓名|名字)\s*[:]\s*([^\s,、。.;!?()]{1,20})/u,
  // A Chinese name is two to four characters standing alone: 我是本地的居民 is not one.
  /我(?:是|叫|的名字是|的名字叫)(\p{Script=Han}{2,4})(?!\p{Script=Han})/u,
];

const CONTEXT = 12;

/** The match as a key: NFKC, lower case, without spaces or invisible characters. */
function normalizedKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{Cf}]/gu, '');
}

/** Every finding in one text, one per distinct match (the same number twice is one finding). */
export function findPersonalData(text: string, submitter: Submitter, field: PersonalDataField): PersonalDataFinding[] {
  const spans: Array<{ kind: PersonalDataKind; start: number; end: number }> = [...findRedactionMatches(text, submitter)];
  for (const pattern of SELF_INTRODUCTIONS) {
    for (const span of findNormalizedPattern(text, pattern)) spans.push({ kind: 'self_introduction', ...span });
  }
  // Widest first; of two equal spans the one that cannot be ticked. A span
  // inside one already listed (太郎 inside 山田太郎) adds nothing to check.
  const rank = (kind: PersonalDataKind) => (NOT_CONFIRMABLE.has(kind) ? 0 : 1);
  spans.sort((a, b) => a.start - b.start || b.end - a.end || rank(a.kind) - rank(b.kind));
  const findings = new Map<string, PersonalDataFinding>();
  let coveredTo = -1;
  for (const { kind, start, end } of spans) {
    if (end <= coveredTo) continue;
    coveredTo = end;
    const match = text.slice(start, end);
    const key = `${field}:${kind}:${normalizedKey(match)}`;
    if (findings.has(key)) continue;
    findings.set(key, {
      key,
      field,
      kind,
      text: match,
      before: Array.from(text.slice(0, start)).slice(-CONTEXT).join(''),
      after: Array.from(text.slice(end)).slice(0, CONTEXT).join(''),
      confirmable: !NOT_CONFIRMABLE.has(kind),
    });
  }
  return [...findings.values()];
}

/** What publishing would put on the public pages: the reply, and the copy when it is shown. */
export type Publication = { body: string; showOpinion: boolean; redactedOpinion: string };

export function findPublicationPersonalData(publication: Publication, submitter: Submitter): PersonalDataFinding[] {
  return [
    ...(publication.showOpinion ? findPersonalData(publication.redactedOpinion, submitter, 'redactedOpinion') : []),
    ...findPersonalData(publication.body, submitter, 'body'),
  ];
}

/** The findings a moderator has not (or cannot have) confirmed as not personal data. */
export function openFindings(findings: PersonalDataFinding[], confirmedKeys: Iterable<string>): PersonalDataFinding[] {
  const confirmed = new Set(confirmedKeys);
  return findings.filter((f) => !f.confirmable || !confirmed.has(f.key));
}
