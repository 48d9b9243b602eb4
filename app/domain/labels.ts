// Japanese labels for stored codes, shared by the browser and the server.
import type { Channel, OpinionStatus, ReplyStatus, Role } from '../../db/schema';

export const STATUS_LABELS: Record<OpinionStatus, string> = {
  new: '受付',
  triaged: '確認中',
  in_progress: '対応中',
  answered: '回答済',
  closed: '完了',
  out_of_scope: '対象外',
  duplicate: '重複',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  web: 'ウェブ',
  phone: '電話',
  post: '郵便',
  visit: '来庁',
  api: 'API',
  hotline: '12345ホットライン',
};

export const ROLE_LABELS: Record<Role, string> = {
  staff: '職員',
  moderator: 'モデレーター',
  admin: '管理者',
};

export const REPLY_STATUS_LABELS: Record<ReplyStatus, string> = {
  draft: '下書き(非公開)',
  published: '公開中',
  unpublished: '公開取り下げ済み',
};
