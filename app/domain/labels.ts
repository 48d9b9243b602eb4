// Japanese labels for stored codes: the JSON API's statusLabel (Japanese by
// design) and the results data before a page words it. Pages, mail and the
// personal-data export use the catalogs (status.*, channel.*).
import type { Channel, OpinionStatus } from '../../db/schema';

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
