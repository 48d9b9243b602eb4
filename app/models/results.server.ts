// The public results board of a notice: how many opinions came in (by
// channel), how many were answered, how many on time and how fast, per
// section and for the whole notice. Every figure is computed here from the
// register; the page, the CSV and the JSON all show this one object.
//
// Small counts: a count of 1 or 2 is published as "<3" so that a lone person
// is not singled out; when only one count of a group (the sections, or the
// channels of one row) would be hidden, the next smallest is hidden too, so
// that it cannot be worked out by subtraction from the total.
import { RECEIVABLE_CHANNELS, isReceivable, type Channel } from '~/domain/channels';
import { CHANNEL_LABELS } from '~/domain/labels';
import type { DB } from '~/server/db.server';
import { listedSections, median } from '~/models/opinion-counts.server';
import { getReportPage } from '~/models/reports.server';
import { formatTarget, type Translate } from '~/utils/format';
import { addDays, localWeekday, toLocalDay } from '~/utils/local-time';

export const SMALL_COUNT = '<3' as const;
export type Count = number | typeof SMALL_COUNT;

export type ResultRow = {
  /** null: the notice as a whole; 0: opinions on the notice as a whole (通報全体). */
  sectionNumber: number | null;
  label: string;
  received: Count;
  byChannel: Array<{ channel: Channel; label: string; count: Count }>;
  answered: Count;
  /** Percent (one decimal) of the opinions due so far that were answered by their deadline; null when hidden. */
  onTimePercent: number | null;
  /** Median working days from receipt to the first published reply; null when hidden. */
  medianWorkingDays: number | null;
};

export type MeasureRow = { sectionNumber: number; itemNumber: number; label: string; count: Count };

export type Results = {
  slug: string;
  title: string;
  generatedAt: string;
  total: ResultRow;
  sections: ResultRow[];
  topMeasures: MeasureRow[];
};

export const TOP_MEASURES = 10;
/** Figures derived from fewer opinions than this (shares, medians) are not shown. */
const MIN_BASE = 3;
const NOT_DUE = new Set(['duplicate', 'out_of_scope']);

/**
 * Hides counts of 1 and 2, and one more when a single one would be hidden
 * (see above). 0 is shown: it singles nobody out.
 */
export function maskCounts(values: number[]): Count[] {
  const hidden = values.map((v) => v > 0 && v < MIN_BASE);
  if (hidden.filter(Boolean).length === 1 && values.length > 2) {
    let next = -1;
    values.forEach((v, i) => {
      if (!hidden[i] && v > 0 && (next < 0 || v < values[next])) next = i;
    });
    if (next >= 0) hidden[next] = true;
  }
  return values.map((v, i) => (hidden[i] ? SMALL_COUNT : v));
}

/** Monday–Friday days (Asia/Shanghai) after the day of `from` up to the day of `to`: same day = 0. */
export function workingDaysBetween(from: string, to: string): number {
  let day = toLocalDay(from);
  const end = toLocalDay(to);
  let n = 0;
  while (day < end) {
    day = addDays(day, 1);
    const wd = localWeekday(`${day}T12:00:00+08:00`);
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

type OpinionFacts = {
  section: number;
  item: number | null;
  channel: Channel;
  status: string;
  receivedAt: string;
  dueAt: string;
  repliedAt: string | null;
};

type RawRow = { sectionNumber: number | null; label: string; opinions: OpinionFacts[] };

function figures(raw: RawRow, now: number, channels: Channel[]) {
  const answered = raw.opinions.filter((o) => o.repliedAt !== null);
  const due = raw.opinions.filter((o) => !NOT_DUE.has(o.status) && (o.repliedAt !== null || Date.parse(o.dueAt) < now));
  const onTime = due.filter((o) => o.repliedAt !== null && Date.parse(o.repliedAt) <= Date.parse(o.dueAt));
  return {
    received: raw.opinions.length,
    byChannel: channels.map((c) => raw.opinions.filter((o) => o.channel === c).length),
    answered: answered.length,
    onTimePercent: due.length >= MIN_BASE ? Math.round((onTime.length / due.length) * 1000) / 10 : null,
    medianWorkingDays: answered.length >= MIN_BASE ? median(answered.map((o) => workingDaysBetween(o.receivedAt, o.repliedAt!))) : null,
  };
}

/** The results of a published notice, or null (unknown or a draft). */
export async function getResults(db: DB, slug: string, now = new Date()): Promise<Results | null> {
  const report = await getReportPage(db, slug);
  if (!report) return null;
  const rows = await db
    .selectFrom('opinions as o')
    .leftJoin('official_replies as r', (j) => j.onRef('r.opinion_id', '=', 'o.id').on('r.status', '=', 'published'))
    .where('o.report_id', '=', report.id)
    .select(['o.section_number', 'o.item_number', 'o.channel', 'o.status', 'o.received_at', 'o.due_at', 'r.published_at'])
    .execute();
  const opinions: OpinionFacts[] = rows.map((r) => ({
    section: r.section_number,
    item: r.item_number,
    channel: r.channel,
    status: r.status,
    receivedAt: r.received_at,
    dueAt: r.due_at,
    repliedAt: r.published_at,
  }));
  const channels = [...RECEIVABLE_CHANNELS, ...new Set(opinions.map((o) => o.channel).filter((c) => !isReceivable(c)))];
  const nowMs = now.getTime();

  const sectionNumbers = listedSections(
    report.sections.map((s) => s.number),
    opinions.map((o) => o.section),
  );
  const raws: RawRow[] = sectionNumbers.map((n) => {
    const section = report.sections.find((s) => s.number === n);
    return {
      sectionNumber: n,
      label: formatTarget({ sectionNumber: n, sectionTitle: section?.title }),
      opinions: opinions.filter((o) => o.section === n),
    };
  });
  const figs = raws.map((r) => figures(r, nowMs, channels));
  const received = maskCounts(figs.map((f) => f.received));
  const answered = maskCounts(figs.map((f) => f.answered));

  const toRow = (raw: RawRow, f: ReturnType<typeof figures>, receivedShown: Count, answeredShown: Count): ResultRow => {
    const small = receivedShown === SMALL_COUNT;
    const byChannel = maskCounts(f.byChannel);
    return {
      sectionNumber: raw.sectionNumber,
      label: raw.label,
      received: receivedShown,
      byChannel: channels.map((channel, i) => ({ channel, label: CHANNEL_LABELS[channel], count: small && f.byChannel[i] > 0 ? SMALL_COUNT : byChannel[i] })),
      answered: small && f.answered > 0 ? SMALL_COUNT : answeredShown,
      onTimePercent: small ? null : f.onTimePercent,
      medianWorkingDays: small ? null : f.medianWorkingDays,
    };
  };

  // The total's label is the reader's words (wordResults); the page has its own heading.
  const totalRaw: RawRow = { sectionNumber: null, label: '', opinions };
  const totalFigs = figures(totalRaw, nowMs, channels);
  const [totalReceived] = maskCounts([totalFigs.received]);
  const [totalAnswered] = maskCounts([totalFigs.answered]);

  const byItem = new Map<string, { section: number; item: number; n: number }>();
  for (const o of opinions) {
    if (o.section === 0 || o.item === null) continue;
    const key = `${o.section}-${o.item}`;
    const entry = byItem.get(key) ?? { section: o.section, item: o.item, n: 0 };
    entry.n++;
    byItem.set(key, entry);
  }
  const top = [...byItem.values()].sort((a, b) => b.n - a.n || a.section - b.section || a.item - b.item).slice(0, TOP_MEASURES);
  const topCounts = maskCounts(top.map((t) => t.n));

  return {
    slug: report.slug,
    title: report.title,
    generatedAt: now.toISOString(),
    total: toRow(totalRaw, totalFigs, totalReceived, totalAnswered),
    sections: raws.map((raw, i) => toRow(raw, figs[i], received[i], answered[i])),
    topMeasures: top.map((t, i) => {
      const section = report.sections.find((s) => s.number === t.section);
      const item = section?.items.find((x) => x.number === t.item);
      return {
        sectionNumber: t.section,
        itemNumber: t.item,
        label: formatTarget({ sectionNumber: t.section, sectionTitle: section?.title, itemNumber: t.item, itemHeading: item?.heading }),
        count: topCounts[i],
      };
    }),
  };
}

/**
 * The board's labels in a reader's language (`tr`: the reports and common
 * catalogs), for the CSV and the JSON. `original`: the page is in the
 * notice's own language, so targets keep the notice's titles; otherwise they
 * are named by number only, as the results page names them.
 */
export function wordResults(results: Results, tr: Translate, original: boolean): Results {
  const row = (r: ResultRow): ResultRow => ({
    ...r,
    label: r.sectionNumber === null ? tr('results.table.totalLabel') : original ? r.label : formatTarget({ sectionNumber: r.sectionNumber }, 'short', tr),
    byChannel: r.byChannel.map((c) => ({ ...c, label: tr(`channel.${c.channel}`) })),
  });
  return {
    ...results,
    total: row(results.total),
    sections: results.sections.map(row),
    topMeasures: results.topMeasures.map((m) => ({ ...m, label: original ? m.label : formatTarget({ sectionNumber: m.sectionNumber, itemNumber: m.itemNumber }, 'short', tr) })),
  };
}

/** The board as CSV rows (header first) in `tr`'s language, every figure as on the page; one column per channel. */
export function resultsCsvRows(results: Results, tr: Translate): string[][] {
  const show = (v: Count | number | null) => (v === null ? '' : String(v));
  const channels = results.total.byChannel.map((c) => c.channel);
  const w = (key: string) => tr(`results.table.${key}`);
  const header = [w('kind'), w('target'), w('received'), ...results.total.byChannel.map((c) => tr('results.ofWhich', { channel: c.label })), w('answered'), w('onTime'), w('median')];
  const row = (kind: string, r: ResultRow) => [
    kind,
    r.label,
    show(r.received),
    ...channels.map((c) => show(r.byChannel.find((x) => x.channel === c)?.count ?? 0)),
    show(r.answered),
    show(r.onTimePercent),
    show(r.medianWorkingDays),
  ];
  const blanks = header.length - 3;
  return [
    header,
    row(w('kindTotal'), results.total),
    ...results.sections.map((s) => row(w('kindSection'), s)),
    ...results.topMeasures.map((m) => [w('kindMeasure'), m.label, show(m.count), ...Array<string>(blanks).fill('')]),
  ];
}
