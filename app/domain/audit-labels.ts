// Japanese words for the audit log: what was done (action codes), to what
// (entity types), which field and how its stored value reads. The log keeps
// its codes and JSON; this module translates them at display, in one place,
// so that a later language catalog can replace these maps whole.
// Browser-safe: no server modules.
import type { Channel, OpinionStatus, ReplyStatus, Role } from '../../db/schema';
import { CHANNEL_LABELS, CONSENT_WITHDRAWAL_LABELS, REPLY_STATUS_LABELS, ROLE_LABELS, STATUS_LABELS } from '~/domain/labels';
import { PERSONAL_DATA_FIELD_LABELS, PERSONAL_DATA_KIND_LABELS } from '~/domain/personal-data';
import { itemLabel, sectionLabel } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';

/** Every action code the app writes (grep `action:` under app/), by its code. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'auth.login': 'サインイン',
  'auth.logout': 'サインアウト',
  'auth.login_failed': 'サインインの失敗',
  'auth.locked': 'サインインの一時停止',
  'auth.refused': 'サインインの拒否(まとめ)',
  'auth.owner_alerted': '本人へのサインイン失敗の通知',
  'auth.2fa': '確認コードでのサインイン',
  'auth.2fa_failed': '確認コードの誤り',
  'auth.2fa_locked': '確認コードの一時停止',
  'auth.recovery_code': '回復コードでのサインイン',
  'auth.session_end': 'セッションの終了',
  'user.create': '利用者の追加',
  'user.role': '利用者の役割の変更',
  'user.deactivate': '利用者の無効化',
  'user.reactivate': '利用者の再有効化',
  'user.password_reset': 'パスワードの再発行',
  'user.password_change': 'パスワードの変更(本人)',
  'user.rename': '表示名の変更(本人)',
  'user.2fa_enrol': '二段階認証の設定',
  'user.2fa_reset': '二段階認証の解除(管理者)',
  'user.2fa_recovery_renew': '回復コードの再発行',
  'unit.create': '担当部署の追加',
  'unit.update': '担当部署の変更',
  'unit.retire': '担当部署の廃止',
  'unit.restore': '担当部署の再開',
  'template.create': '回答テンプレートの追加',
  'template.update': '回答テンプレートの変更',
  'template.retire': '回答テンプレートの廃止',
  'template.restore': '回答テンプレートの再開',
  'opinion.record': '電話・郵便・来庁の記録',
  'opinion.status': '状態の変更',
  'opinion.consent_withdrawn': '意見の公開への同意の撤回(職員が記録)',
  'opinion.assign': '担当の変更',
  'opinion.due': '回答期限の変更',
  'opinion.note': 'メモの追加',
  'opinion.export': '意見の書き出し(CSV)',
  'opinion.retention': '保存期間を過ぎた個人情報の削除',
  'opinion.privacy_export': '本人の求めによる個人情報の書き出し(JSON)',
  'opinion.erase': '本人の求めによる個人情報の消去',
  'opinion.attach': '添付ファイルの追加(職員)',
  'opinion.attachment_publish': '添付画像の公開(回答に添えて)',
  'opinion.attachment_unpublish': '添付画像の公開の取り下げ',
  'reply.draft': '公式回答の下書き保存',
  'reply.publish': '公式回答の公開',
  'reply.edit': '公式回答の更新',
  'reply.unpublish': '公式回答の公開取り下げ',
};

/** The action's words; an unknown code (an older or a test row) is shown as it is. */
export function auditActionLabel(action: string): { label: string; known: boolean } {
  const label = AUDIT_ACTION_LABELS[action];
  return label ? { label, known: true } : { label: action, known: false };
}

/** What an audit row is about (`entity_type`). */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  opinion: '意見',
  user: '利用者',
  unit: '担当部署',
  reply_template: '回答テンプレート',
  login: 'サインイン画面',
};

const LOGIN_FAILURE_LABELS: Record<string, string> = {
  unknown_email: '登録のないメールアドレス',
  wrong_password: 'パスワードの誤り',
  inactive: '無効な利用者',
};

const LOCK_SCOPE_LABELS: Record<string, string> = {
  account: 'このアカウント',
  client: 'この端末',
};

/** Field names in before/after (and in the export's filters). */
export const AUDIT_FIELD_LABELS: Record<string, string> = {
  status: '状態',
  opinionStatusBefore: '公開前の意見の状態',
  publicOk: '意見の公開への同意',
  via: '申し出の方法',
  note: '記録',
  shownOpinionRemoved: '公開中の意見を非公開にした',
  notPersonalData: '個人情報ではないと確認した箇所',
  duplicateOf: '重複先',
  unit: '担当部署',
  assignee: '担当者',
  dueAt: '回答期限',
  body: '内容',
  channel: '受付経路',
  receivedAt: '受付日時',
  trackingNumber: '受付番号',
  email: 'メールアドレス',
  displayName: '表示名',
  role: '役割',
  active: '有効',
  name: '名称',
  retired: '廃止',
  title: '題名',
  retiredAt: '廃止日時',
  showOpinion: '意見もあわせて公開',
  redactedOpinion: '公開する意見の文面',
  publishedAt: '公開日時',
  unpublishedReason: '取り下げの理由',
  reason: '理由',
  scope: '停止の範囲',
  clientHash: '接続元(匿名化した値)',
  filters: '書き出しの条件',
  reportId: '通報',
  section: '項',
  item: '小項目',
  unitId: '担当部署',
  assigneeId: '担当者',
  from: '受付日(から)',
  to: '受付日(まで)',
  overdue: '期限超過のみ',
  q: 'キーワード',
  months: '保存期間(か月)',
  cutoff: 'この日時より前に完了したもの',
  opinions: '意見の件数',
  messages: 'メールの件数',
  withdrawnMessages: '送信を取りやめたメール',
  notes: '住所のメモ',
  matchedBy: '照合した項目',
  subjectHash: '本人の識別値(鍵付きハッシュ)',
  trackingNumbers: '受付番号',
  attachments: '添付ファイル',
  attachment: '添付ファイル',
  published: '公開',
  size: 'サイズ(バイト)',
  type: '種類',
  id: '番号',
};

const MATCHED_BY_LABELS: Record<string, string> = { email: 'メールアドレス', phone: '電話番号' };

/** Fields that identify a row rather than describe it: not shown. */
const HIDDEN_FIELDS = new Set(['noteId', 'replyId']);

/** Before/after as stored: parsed JSON (or the raw text when it was not JSON). */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };

/** Names for ids found in before/after (the export's unit, person, report filters). */
export type AuditNames = {
  units: Record<string, string>;
  users: Record<string, string>;
  reports: Record<string, string>;
};

export const NO_NAMES: AuditNames = { units: {}, users: {}, reports: {} };

const NONE = '(なし)';

function lookup<K extends string>(labels: Record<K, string>, value: unknown): string | null {
  return typeof value === 'string' && value in labels ? labels[value as K] : null;
}

function isoMoment(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

/** One stored value in words. `action` decides which status a `status` is (an opinion's or a reply's). */
export function formatAuditValue(action: string, field: string, value: unknown, names: AuditNames = NO_NAMES): string {
  if (value === null || value === undefined || value === '') return NONE;
  if (typeof value === 'boolean') return value ? 'はい' : 'いいえ';
  switch (field) {
    case 'status':
      return (action.startsWith('reply.') ? lookup<ReplyStatus>(REPLY_STATUS_LABELS, value) : lookup<OpinionStatus>(STATUS_LABELS, value)) ?? String(value);
    case 'opinionStatusBefore':
      return lookup<OpinionStatus>(STATUS_LABELS, value) ?? String(value);
    case 'channel':
      return lookup<Channel>(CHANNEL_LABELS, value) ?? String(value);
    case 'role':
      return lookup<Role>(ROLE_LABELS, value) ?? String(value);
    case 'reason':
      return lookup(LOGIN_FAILURE_LABELS, value) ?? String(value);
    case 'via':
      return lookup(CONSENT_WITHDRAWAL_LABELS, value) ?? String(value);
    case 'notPersonalData':
      return Array.isArray(value)
        ? value
            .map((v: { field?: string; kind?: string; text?: string }) =>
              `${lookup(PERSONAL_DATA_FIELD_LABELS, v.field) ?? v.field}・${lookup(PERSONAL_DATA_KIND_LABELS, v.kind) ?? v.kind}「${v.text ?? ''}」`,
            )
            .join('、')
        : String(value);
    case 'scope':
      return lookup(LOCK_SCOPE_LABELS, value) ?? String(value);
    case 'matchedBy':
      return lookup(MATCHED_BY_LABELS, value) ?? String(value);
    case 'dueAt':
    case 'from':
    case 'to':
      // A deadline is the end of a day: its date is what it means.
      return typeof value === 'string' ? formatDate(value) : String(value);
    case 'unitId':
      return names.units[String(value)] ?? `#${value}`;
    case 'assigneeId':
      return names.users[String(value)] ?? `#${value}`;
    case 'reportId':
      return names.reports[String(value)] ?? `#${value}`;
    case 'section':
      return typeof value === 'number' ? sectionLabel(value) : String(value);
    case 'item':
      return typeof value === 'number' ? itemLabel(value) : String(value);
  }
  if (isoMoment(value)) return formatDateTime(value);
  if (typeof value === 'object') return describeObject(action, value as Record<string, unknown>, names);
  return String(value);
}

function describeObject(action: string, value: Record<string, unknown>, names: AuditNames): string {
  const parts = Object.entries(value)
    .filter(([k, v]) => !HIDDEN_FIELDS.has(k) && v !== undefined && v !== null && v !== '' && k !== 'page')
    .map(([k, v]) => `${AUDIT_FIELD_LABELS[k] ?? k}:${formatAuditValue(action, k, v, names)}`);
  return parts.length === 0 ? 'すべて' : parts.join('、');
}

/** One line of "what changed": a field, and its value before and after (null when there was no side). */
export type AuditChange = { field: string; label: string; before: string | null; after: string | null };

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * Before and after as lines, one per field: a field that did not change is
 * left out when something else did; a record with only an after (a creation)
 * lists its values. Anything that is not an object is shown as it is.
 */
export function describeAuditChanges(action: string, before: AuditValue, after: AuditValue, names: AuditNames = NO_NAMES): AuditChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const loose: AuditChange[] = [];
  if (before != null && !b) loose.push({ field: '', label: '変更前', before: null, after: String(before) });
  if (after != null && !a) loose.push({ field: '', label: '変更後', before: null, after: String(after) });
  const fields = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter((f) => !HIDDEN_FIELDS.has(f));
  const changes = fields.map((field) => {
    const label = AUDIT_FIELD_LABELS[field] ?? field;
    const from = b ? formatAuditValue(action, field, b[field], names) : null;
    const to = a ? formatAuditValue(action, field, a[field], names) : null;
    return { field, label, before: from, after: to };
  });
  // A creation lists what it set, not the fields it left empty.
  const shown = b ? changes.filter((c) => c.before === null || c.after === null || c.before !== c.after) : changes.filter((c) => c.after !== NONE);
  return [...loose, ...(shown.length > 0 ? shown : changes)];
}

/** A change as one line of text: 状態:受付 → 確認中. */
export function auditChangeText(c: AuditChange): string {
  if (c.before !== null && c.after !== null) return c.before === c.after ? `${c.label}:${c.after}` : `${c.label}:${c.before} → ${c.after}`;
  return `${c.label}:${c.after ?? c.before ?? NONE}`;
}
