// The Kysely view of the database. SQLite hands back dates as ISO text and
// booleans as 0/1, so they are typed that way here.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Bool = 0 | 1;
type DefaultBool = ColumnType<Bool, Bool | undefined, Bool>;

export interface ReportsTable {
  id: Generated<number>;
  slug: string;
  view_count: Generated<number>;
  created_at: string;
  /** 1 = saved from the console but not published: no public page, no opinions. */
  draft: DefaultBool;
  /** The comment period (UTC ISO; null = no bound on that side). */
  opens_at: string | null;
  closes_at: string | null;
  /** The office's hours, shown with the phone and postal channels (null = the default wording). */
  office_hours: string | null;
  /** The language the notice was published in (its revisions' text). */
  language: ColumnType<Language, Language | undefined, Language>;
}

/** A page language (app/i18n/config LANGUAGES). */
export type Language = 'ja' | 'zh-Hans' | 'en';

/** A revision's text in another language; sections and items line up with the revision's by number. */
export interface ReportTranslationsTable {
  id: Generated<number>;
  revision_id: number;
  language: Language;
  /** TranslatedNotice as JSON (models/notice-translations.server). */
  content_json: string;
  source_text: string;
  content_hash: string;
  imported_at: string;
}

export interface ReportRevisionsTable {
  id: Generated<number>;
  report_id: number;
  revision_no: number;
  content_hash: string;
  source_text: string;
  title: string;
  breadcrumb_json: string;
  published_at: string;
  source_office: string;
  intro_json: string;
  summary: string;
  next_steps_json: string;
  closing: string;
  phone: string;
  mailbox: string;
  issuer: string;
  issued_on: string;
  imported_at: string;
}

export interface SectionsTable {
  id: Generated<number>;
  revision_id: number;
  number: number;
  title: string;
}

export interface ItemsTable {
  id: Generated<number>;
  section_id: number;
  number: number;
  heading: string;
  body: string;
}

export type Role = 'staff' | 'moderator' | 'admin';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: DefaultBool;
  created_at: string;
  last_login_at: string | null;
  /** 1 while a generated or admin-reset password has not yet been replaced by its owner. */
  must_change_password: DefaultBool;
  /** The TOTP secret, AES-GCM encrypted (models/totp.server); null when not enrolled. */
  totp_secret: string | null;
  /** Set when enrolment was confirmed with a code; a secret without it is an unfinished enrolment. */
  totp_enabled_at: string | null;
  /** The last 30-second step whose code was accepted: no code is used twice. */
  totp_last_step: number | null;
  /** The console's language for this person (null: as the browser asks). */
  language: Language | null;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  user_agent: string | null;
  /** 'second_factor' while the password was right but the code is still owed; null when complete. */
  pending: 'second_factor' | null;
  factor_failures: Generated<number>;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the normalized code (the codes are random, 50+ bits: no slow hash needed). */
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  client_hash: string;
  success: Bool;
  created_at: string;
}

export interface UnitsTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  retired_at: string | null;
  created_at: string;
}

export const CHANNELS = ['web', 'phone', 'post', 'visit', 'hotline', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export const OPINION_STATUSES = [
  'new',
  'triaged',
  'in_progress',
  'answered',
  'closed',
  'out_of_scope',
  'duplicate',
] as const;
export type OpinionStatus = (typeof OPINION_STATUSES)[number];

export interface OpinionsTable {
  id: Generated<number>;
  tracking_number: string;
  receipt_token: string;
  report_id: number;
  /** 0 = the notice as a whole */
  section_number: number;
  item_number: number | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** Postal address for an answer by post (staff-recorded opinions); a contact detail, never public. */
  address: string | null;
  reply_wanted: DefaultBool;
  public_ok: DefaultBool;
  consent: DefaultBool;
  channel: Channel;
  status: ColumnType<OpinionStatus, OpinionStatus | undefined, OpinionStatus>;
  duplicate_of_id: number | null;
  unit_id: number | null;
  assignee_id: number | null;
  received_at: string;
  due_at: string;
  client_hash: string | null;
  user_agent: string | null;
  form_token: string | null;
  /** A hash of what the opinion says (target, text, name, contacts, choices): the double-submission check's key. */
  content_key: string | null;
  recorded_by_id: number | null;
  created_at: string;
  updated_at: string;
  /** When the name and contact details were removed (retention or the person's request); null while kept. */
  personal_data_removed_at: string | null;
  personal_data_removed_reason: PersonalDataRemovedReason | null;
  /** Why no acknowledgement was sent although an email was given (null: sent, or no email). */
  ack_withheld: ColumnType<AckWithheld | null, AckWithheld | null | undefined, AckWithheld | null>;
  /** 1 = recorded by staff while the notice's comment period was not open (期間外). */
  outside_period: DefaultBool;
  /** The language of the page it was sent from: the citizen's mail is written in it. */
  language: ColumnType<Language, Language | undefined, Language>;
}

/** Why an opinion's personal data was removed: the retention period ran out, or the person asked. */
export type PersonalDataRemovedReason = 'retention' | 'request';

/** 'address_limit': ACK_LIMIT_PER_ADDRESS acknowledgements already went to that address in 24 hours. */
export type AckWithheld = 'address_limit';

export interface OpinionNotesTable {
  id: Generated<number>;
  opinion_id: number;
  author_id: number;
  body: string;
  created_at: string;
}

export type ReplyStatus = 'draft' | 'published' | 'unpublished';

export interface OfficialRepliesTable {
  id: Generated<number>;
  opinion_id: number;
  body: string;
  show_opinion: DefaultBool;
  redacted_opinion: string | null;
  status: ReplyStatus;
  published_at: string | null;
  updated_at: string;
  unpublished_reason: string | null;
  created_by_id: number;
  updated_by_id: number;
  created_at: string;
}

export interface OfficialReplyRevisionsTable {
  id: Generated<number>;
  reply_id: number;
  body: string;
  show_opinion: Bool;
  redacted_opinion: string | null;
  created_by_id: number;
  created_at: string;
}

export interface ReplyTemplatesTable {
  id: Generated<number>;
  title: string;
  body: string;
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxMessagesTable {
  id: Generated<number>;
  opinion_id: number | null;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** The worker (host:pid:random) that last claimed it; null before the first claim. */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** Until when that claim keeps other workers off it (ISO); null when no send is under way. */
  claimed_until: ColumnType<string | null, string | null | undefined, string | null>;
  /** An acknowledgement's mailbox (ack-limit.server mailboxKey), for the daily cap; null on other kinds. */
  mailbox_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** Hits per rate-limit key (bucket + client) in the window that ends at resets_at (ISO). */
export interface RateLimitsTable {
  key: string;
  count: number;
  resets_at: string;
}

/** Named numbers every app process reads (e.g. 'report_content', the report page's content version). */
export interface CountersTable {
  name: string;
  value: Generated<number>;
}

export interface OpinionsFtsTable {
  rowid: number;
  body: string;
  name: string;
  tracking_number: string;
  opinions_fts: string;
  rank: number;
}

// --- Search at scale (migration 2026-12-02-0003) --------------------------------

/** Opinions whose text is in neither search index yet (indexed within a second). */
export interface OpinionsSearchQueueTable {
  opinion_id: number;
}

/** Single characters and pairs of each opinion's text (contentless FTS5), for 1–2 character searches. */
export interface OpinionsGramsTable {
  rowid: number;
  grams: string;
  opinions_grams: string;
}

/** Opinions per status and due day (the UTC date of due_at), kept by triggers. */
export interface OpinionCountsTable {
  status: OpinionStatus;
  due_day: string;
  n: number;
}

/** Opinions per report and section, kept by triggers (the report page's table of contents). */
export interface OpinionSectionCountsTable {
  report_id: number;
  section_number: number;
  n: number;
}

/** Opinions per office day (Asia/Shanghai) and channel, kept by triggers (the staff dashboard). */
export interface OpinionDayCountsTable {
  day: string;
  channel: Channel;
  n: number;
}

// --- The intake API (migration 2026-12-01-0004) ---------------------------------

export type ApiScope = 'read' | 'write';

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  scope: ApiScope;
  /** SHA-256 of the token, hex; the token itself is shown once and never stored. */
  token_hash: string;
  /** The token's first characters, to tell tokens apart in the list. */
  token_prefix: string;
  rate_limit_per_minute: ColumnType<number, number | undefined, number>;
  created_by_id: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by_id: number | null;
}

export interface ApiIdempotencyKeysTable {
  token_id: number;
  key: string;
  request_hash: string;
  /** null while the first request with this key is still being processed */
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export type ApiToken = Selectable<ApiTokensTable>;
// --- Office mail: digests, reminder stages, bounces and inbound mail -----------

export interface OfficeDigestsTable {
  /** The Shanghai day (YYYY-MM-DD) the digest ran for. */
  day: string;
  window_start: string;
  window_end: string;
  new_count: number;
  due_soon_count: number;
  overdue_count: number;
  /** 0 when there was nothing to say. */
  message_count: number;
  created_at: string;
}

export type MailStage = 'reminder_before' | 'reminder_due' | 'escalation';

export interface OpinionMailStagesTable {
  opinion_id: number;
  stage: MailStage;
  outbox_message_id: number;
  created_at: string;
}

export type MailEventKind = 'bounce' | 'auto_reply';
export type BounceType = 'hard' | 'soft';

export interface MailEventsTable {
  id: Generated<number>;
  outbox_message_id: number | null;
  kind: MailEventKind;
  bounce_type: BounceType | null;
  recipient: string | null;
  status_code: string | null;
  diagnostic: string | null;
  source_message_id: string | null;
  created_at: string;
}

export interface InboundMessagesTable {
  id: Generated<number>;
  message_id: string | null;
  from_address: string | null;
  to_address: string | null;
  subject: string;
  text_body: string;
  sent_at: string | null;
  received_at: string;
}
// --- Comment periods (2026-12-01-0006) ---------------------------------------
export type CommentPeriodChangeKind = 'set' | 'extend' | 'close_early';

export interface CommentPeriodChangesTable {
  id: Generated<number>;
  report_id: number;
  kind: CommentPeriodChangeKind;
  opens_at: string | null;
  closes_at: string | null;
  previous_closes_at: string | null;
  reason: string | null;
  actor_id: number | null;
  actor_label: string;
  created_at: string;
}
export type CommentPeriodChange = Selectable<CommentPeriodChangesTable>;

export type AttachmentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

export interface AttachmentsTable {
  id: Generated<number>;
  opinion_id: number;
  /** The file's name as the person gave it, cleaned. */
  name: string;
  /** Decided from the bytes at upload (an image's type after re-encoding). */
  type: AttachmentType;
  /** Bytes as stored. */
  size: number;
  /** The stored file, UPLOAD_DIR/<first two hex>/<sha256>. */
  sha256: string;
  /** The 320 px thumbnail of an image; null for a PDF. */
  thumbnail_sha256: string | null;
  width: number | null;
  height: number | null;
  /** The staff member who attached a scan; null when it came with the citizen's opinion. */
  added_by_id: number | null;
  created_at: string;
  /** Set when a moderator published this image beside the opinion's reply. */
  published_at: string | null;
  published_by_id: number | null;
}

export interface Database {
  reports: ReportsTable;
  report_revisions: ReportRevisionsTable;
  sections: SectionsTable;
  items: ItemsTable;
  users: UsersTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  login_attempts: LoginAttemptsTable;
  units: UnitsTable;
  opinions: OpinionsTable;
  opinions_fts: OpinionsFtsTable;
  opinions_search_queue: OpinionsSearchQueueTable;
  opinions_grams: OpinionsGramsTable;
  opinion_counts: OpinionCountsTable;
  opinion_section_counts: OpinionSectionCountsTable;
  opinion_day_counts: OpinionDayCountsTable;
  opinion_notes: OpinionNotesTable;
  official_replies: OfficialRepliesTable;
  official_reply_revisions: OfficialReplyRevisionsTable;
  reply_templates: ReplyTemplatesTable;
  outbox_messages: OutboxMessagesTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  rate_limits: RateLimitsTable;
  counters: CountersTable;
  api_tokens: ApiTokensTable;
  api_idempotency_keys: ApiIdempotencyKeysTable;
  office_digests: OfficeDigestsTable;
  opinion_mail_stages: OpinionMailStagesTable;
  mail_events: MailEventsTable;
  inbound_messages: InboundMessagesTable;
  comment_period_changes: CommentPeriodChangesTable;
  attachments: AttachmentsTable;
  report_translations: ReportTranslationsTable;
}

export type Report = Selectable<ReportsTable>;
export type ReportRevision = Selectable<ReportRevisionsTable>;
export type NewReportRevision = Insertable<ReportRevisionsTable>;
export type Section = Selectable<SectionsTable>;
export type Item = Selectable<ItemsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Unit = Selectable<UnitsTable>;
export type Opinion = Selectable<OpinionsTable>;
export type NewOpinion = Insertable<OpinionsTable>;
export type OpinionUpdate = Updateable<OpinionsTable>;
export type OpinionNote = Selectable<OpinionNotesTable>;
export type OfficialReply = Selectable<OfficialRepliesTable>;
export type ReplyTemplate = Selectable<ReplyTemplatesTable>;
export type OutboxMessage = Selectable<OutboxMessagesTable>;
export type NewOutboxMessage = Insertable<OutboxMessagesTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type MailEvent = Selectable<MailEventsTable>;
export type InboundMessage = Selectable<InboundMessagesTable>;
export type Attachment = Selectable<AttachmentsTable>;
export type NewAttachment = Insertable<AttachmentsTable>;
