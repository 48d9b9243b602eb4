// A notice's comment period: when the web forms accept opinions. Pure and
// browser-safe (the report page and the console both word it from here).
// Times are stored as UTC ISO text and read in Asia/Shanghai; either bound may
// be missing (no dates at all = always open).
//
// Each wording function takes an optional `tr` (i18next `t` with the common
// namespace) and Intl locale for the public pages; without them it speaks
// Japanese (the staff console, until it is translated).
import type { Translate } from '~/utils/format';
import { addDays, formatDateTime, fromLocalDateTime, toLocalDay } from '~/utils/local-time';

/** A reader's language for the wording functions: their `t` and Intl locale. */
export type Wording = { t: Translate; locale: string };

export type PeriodChangeKind = 'set' | 'extend' | 'close_early';

/** A public change of the period: 延長 or 早期終了, with its reason. */
export type PeriodChange = {
  kind: 'extend' | 'close_early';
  at: string;
  previousClosesAt: string | null;
  closesAt: string | null;
  reason: string;
};

export type CommentPeriod = {
  opensAt: string | null;
  closesAt: string | null;
  /** Null: DEFAULT_OFFICE_HOURS. */
  officeHours: string | null;
  changes: PeriodChange[];
};

/** What deciding whether an opinion is on time needs: the period's two ends. */
export type CommentWindow = Pick<CommentPeriod, 'opensAt' | 'closesAt'>;

export type PeriodState = 'always' | 'upcoming' | 'open' | 'closed';

export const PERIOD_STATE_LABELS: Record<PeriodState, string> = {
  always: '受付中(期間の定めなし)',
  upcoming: '募集前',
  open: '受付中',
  closed: '募集終了',
};

/** A notice in the console: a draft, or published and in one of the period's states. */
export type NoticeState = 'draft' | PeriodState;

export const NOTICE_STATE_LABELS: Record<NoticeState, string> = {
  draft: '下書き',
  always: '受付中(期間なし)',
  upcoming: '募集前',
  open: '受付中',
  closed: '募集終了',
};

/** A period state's label in the reader's language. */
export function periodStateLabel(state: PeriodState, w?: Wording): string {
  return w ? w.t(`period.state.${state}`) : PERIOD_STATE_LABELS[state];
}

/** What the closed-period message says when a notice has no hours of its own. */
export const DEFAULT_OFFICE_HOURS = '平日(月〜金)9:00〜17:00(祝日を除く)';

/** The days-left count shows in the last week of a period. */
export const LAST_WEEK_DAYS = 7;

const ms = (iso: string) => Date.parse(iso);

export function periodState(p: CommentWindow, now: Date = new Date()): PeriodState {
  if (!p.opensAt && !p.closesAt) return 'always';
  const t = now.getTime();
  if (p.opensAt && t < ms(p.opensAt)) return 'upcoming';
  if (p.closesAt && t >= ms(p.closesAt)) return 'closed';
  return 'open';
}

/** Whether the web forms take opinions now. */
export function isAcceptingOpinions(p: CommentWindow, now: Date = new Date()): boolean {
  const state = periodState(p, now);
  return state === 'open' || state === 'always';
}

/**
 * Calendar days (Asia/Shanghai) from today to the closing day, while the
 * period is open and closes within LAST_WEEK_DAYS; otherwise null. 0 = closes today.
 */
export function daysLeft(p: Pick<CommentPeriod, 'opensAt' | 'closesAt'>, now: Date = new Date()): number | null {
  if (periodState(p, now) !== 'open' || !p.closesAt) return null;
  const today = toLocalDay(now);
  const closingDay = toLocalDay(p.closesAt);
  for (let n = 0; n <= LAST_WEEK_DAYS; n++) if (addDays(today, n) === closingDay) return n;
  return null;
}

/** 意見募集期間: 2026年1月5日 09:00 から 2026年2月5日 17:00 まで (null when there are no dates). */
export function describePeriod(p: Pick<CommentPeriod, 'opensAt' | 'closesAt'>, w?: Wording): string | null {
  if (!p.opensAt && !p.closesAt) return null;
  if (w) {
    const from = p.opensAt ? w.t('period.from', { date: formatDateTime(p.opensAt, w.locale) }) : '';
    const to = p.closesAt ? w.t('period.until', { date: formatDateTime(p.closesAt, w.locale) }) : w.t('period.noEnd');
    return w.t('period.line', { range: [from, to].filter(Boolean).join(' ') });
  }
  const from = p.opensAt ? `${formatDateTime(p.opensAt)} から` : '';
  const to = p.closesAt ? `${formatDateTime(p.closesAt)} まで` : '(終了日の定めなし)';
  return `意見募集期間: ${[from, to].filter(Boolean).join(' ')}`;
}

/** あと3日 / 本日まで, in the last week of an open period. */
export function describeDaysLeft(p: Pick<CommentPeriod, 'opensAt' | 'closesAt'>, now: Date = new Date(), w?: Wording): string | null {
  const n = daysLeft(p, now);
  if (n === null) return null;
  if (w) return n === 0 ? w.t('period.closesToday') : w.t('period.daysLeft', { count: n });
  return n === 0 ? '本日締め切り' : `締め切りまであと${n}日`;
}

/** 2026年2月1日に延長されました(当初: 2026年2月5日 17:00 まで)。理由: … */
export function describeChange(c: PeriodChange, w?: Wording): string {
  if (w) {
    const values = {
      when: formatDateTime(c.at, w.locale),
      before: c.previousClosesAt ? w.t('period.before', { date: formatDateTime(c.previousClosesAt, w.locale) }) : w.t('period.beforeNoEnd'),
      reason: c.reason,
    };
    return c.kind === 'extend' ? w.t('period.extended', values) : w.t('period.closedEarly', values);
  }
  const when = formatDateTime(c.at);
  const before = c.previousClosesAt ? `当初: ${formatDateTime(c.previousClosesAt)} まで` : '当初: 終了日の定めなし';
  return c.kind === 'extend'
    ? `${when}に延長されました(${before})。理由: ${c.reason}`
    : `${when}に募集を早期終了しました(${before})。理由: ${c.reason}`;
}

/**
 * The message that replaces the forms outside the period (and the 403 answer
 * of a direct post), with the channels that still take opinions.
 */
export function closedMessage(p: CommentWindow, now: Date = new Date(), w?: Wording): string | null {
  const state = periodState(p, now);
  if (w && state === 'upcoming') return w.t('period.notYetOpen', { date: formatDateTime(p.opensAt!, w.locale) });
  if (w && state === 'closed') return w.t('period.closed', { date: formatDateTime(p.closesAt!, w.locale) });
  if (state === 'upcoming') {
    return `この通報への意見の受付は${formatDateTime(p.opensAt!)}に始まります。それまでは、このサイトからは送信できません。`;
  }
  if (state === 'closed') {
    return `この通報への意見の受付は${formatDateTime(p.closesAt!)}に終了しました。このサイトからは送信できません。`;
  }
  return null;
}

/** The phone/postal line of the closed message. */
export function offlineChannelsLine(phone: string, mailbox: string, officeHours: string | null, w?: Wording): string {
  if (w) return w.t('period.offline', { phone, mailbox, hours: officeHours || w.t('period.defaultOfficeHours') });
  return `お問い合わせは電話(${phone}、受付時間: ${officeHours || DEFAULT_OFFICE_HOURS})または郵便(${mailbox})でお寄せください。`;
}

/** Refuses a period whose close is not after its opening (a catalog key); null when fine. */
export function checkPeriodBounds(opensAt: string | null, closesAt: string | null): string | null {
  if (opensAt && closesAt && ms(closesAt) <= ms(opensAt)) {
    return 'models:period.closesBeforeOpens';
  }
  return null;
}

/**
 * A date typed in Shanghai time (YYYY-MM-DDTHH:mm, as `datetime-local` and the
 * import command take it) as stored ISO text; '' or 'none' = no bound;
 * undefined when it cannot be read.
 */
export function readLocalBound(value: string): string | null | undefined {
  const v = value.trim();
  if (v === '' || v === 'none') return null;
  return fromLocalDateTime(v)?.toISOString() ?? undefined;
}
