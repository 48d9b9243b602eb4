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
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
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

export const CHANNELS = ['web', 'phone', 'post', 'visit', 'api', 'hotline'] as const;
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
  recorded_by_id: number | null;
  created_at: string;
  updated_at: string;
}

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

export interface OpinionsFtsTable {
  rowid: number;
  body: string;
  name: string;
  tracking_number: string;
  opinions_fts: string;
  rank: number;
}

// --- Search at scale (migration 2026-12-01-0010) --------------------------------

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

export interface Database {
  reports: ReportsTable;
  report_revisions: ReportRevisionsTable;
  sections: SectionsTable;
  items: ItemsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  units: UnitsTable;
  opinions: OpinionsTable;
  opinions_fts: OpinionsFtsTable;
  opinions_search_queue: OpinionsSearchQueueTable;
  opinions_grams: OpinionsGramsTable;
  opinion_counts: OpinionCountsTable;
  opinion_notes: OpinionNotesTable;
  official_replies: OfficialRepliesTable;
  official_reply_revisions: OfficialReplyRevisionsTable;
  reply_templates: ReplyTemplatesTable;
  outbox_messages: OutboxMessagesTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  api_tokens: ApiTokensTable;
  api_idempotency_keys: ApiIdempotencyKeysTable;
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
