// The public results board of a notice: how many opinions came in (by
// channel), how many were answered, how many on time and how fast, per
// section and for the whole notice. Every figure is computed here from the
// register; the page, the CSV and the JSON all show this one object.
//
// Small counts: a count of 1 or 2 is published as "<3" so that a lone person
// is not singled out; when only one count of a group (the sections, or the
// channels of one row) would be hidden, the next smallest is hidden too, so
// that it cannot be worked out by subtraction from the total.
import { sql } from 'kysely';
import { CHANNELS, RECEIVABLE_CHANNELS, isReceivable, type Channel } from '~/domain/channels';
import { CHANNEL_LABELS } from '~/domain/labels';
import type { OpinionStatus } from '~/domain/opinion-status';
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
const NOT_DUE = new Set<OpinionStatus>(['duplicate', 'out_of_scope']);

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

/** The figures of one row before masking. */
type Figures = {
  received: number;
  byChannel: number[];
  answered: number;
  onTimePercent: number | null;
  medianWorkingDays: number | null;
};

/** An opinion with a published reply: the few the board looks at one by one. */
type Replied = { section: number; status: OpinionStatus; receivedAt: string; dueAt: string; repliedAt: string };

/**
 * Counts and replied opinions of one row (a section, or the whole notice).
 * `duePast`: opinions past their deadline that are due (replied or not).
 */
type Tally = { byChannel: Map<Channel, number>; duePast: number; replied: Replied[] };

const emptyTally = (): Tally => ({ byChannel: new Map(), duePast: 0, replied: [] });

/**
 * Due so far: not a duplicate or out of scope, and replied or past its
 * deadline: those past it (counted in SQL) and the replied ones not past it.
 * The deadline is compared as the stored ISO text, as SQL compares it (one
 * format: one order).
 */
function figures(tally: Tally, nowIso: string, channels: Channel[]): Figures {
  const byChannel = channels.map((c) => tally.byChannel.get(c) ?? 0);
  const dueReplied = tally.replied.filter((o) => !NOT_DUE.has(o.status));
  const due = tally.duePast + dueReplied.filter((o) => !(o.dueAt < nowIso)).length;
  const onTime = dueReplied.filter((o) => o.repliedAt <= o.dueAt).length;
  const answered = tally.replied;
  return {
    received: byChannel.reduce((sum, n) => sum + n, 0),
    byChannel,
    answered: answered.length,
    onTimePercent: due >= MIN_BASE ? Math.round((onTime / due) * 1000) / 10 : null,
    medianWorkingDays: answered.length >= MIN_BASE ? median(answered.map((o) => workingDaysBetween(o.receivedAt, o.repliedAt))) : null,
  };
}

/**
 * Aggregates in SQL, over indexes (migration 2026-12-05-0002): a million
 * opinions are never read into JavaScript (that took 10 s at a million, 1 s
 * at 100,000); only the opinions with a published reply are, from the reply
 * side. The due opinions past their deadline are counted in SQL; the replied
 * ones not past it are added in figures().
 */
async function tallies(db: DB, reportId: number, nowIso: string) {
  const [received, duePast, replied] = await Promise.all([
    // Per section, measure and channel: the board's received counts and its measures alike.
    db
      .selectFrom('opinions')
      .where('report_id', '=', reportId)
      .select(['section_number', 'item_number', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['section_number', 'item_number', 'channel'])
      .execute(),
    // Past the deadline and due, with a published reply or not.
    db
      .selectFrom('opinions')
      .where('report_id', '=', reportId)
      .where('status', 'not in', [...NOT_DUE])
      .where('due_at', '<', nowIso)
      .select(['section_number', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('section_number')
      .execute(),
    // From the published replies (few) to their opinions: the + keeps SQLite off the opinions' indexes.
    db
      .selectFrom('official_replies as r')
      .innerJoin('opinions as o', 'o.id', 'r.opinion_id')
      .where(sql<number>`+o.report_id`, '=', reportId)
      .where('r.status', '=', 'published')
      .where('r.published_at', 'is not', null)
      .select(['o.section_number', 'o.status', 'o.received_at', 'o.due_at', 'r.published_at'])
      .execute(),
  ]);
  return {
    received: received.map((r) => ({ section: r.section_number, item: r.item_number, channel: r.channel, n: Number(r.n) })),
    duePast: duePast.map((r) => ({ section: r.section_number, n: Number(r.n) })),
    replied: replied.map(
      (r): Replied => ({ section: r.section_number, status: r.status, receivedAt: r.received_at, dueAt: r.due_at, repliedAt: r.published_at! }),
    ),
  };
}

/** The results of a published notice, or null (unknown or a draft). */
export async function getResults(db: DB, slug: string, now = new Date()): Promise<Results | null> {
  const report = await getReportPage(db, slug);
  if (!report) return null;
  const nowIso = now.toISOString();
  const t = await tallies(db, report.id, nowIso);

  const total = emptyTally();
  const bySection = new Map<number, Tally>();
  const tallyOf = (section: number) => {
    let tally = bySection.get(section);
    if (!tally) bySection.set(section, (tally = emptyTally()));
    return tally;
  };
  // Each count goes to its section's row and to the whole notice's.
  for (const r of t.received) {
    for (const tally of [tallyOf(r.section), total]) tally.byChannel.set(r.channel, (tally.byChannel.get(r.channel) ?? 0) + r.n);
  }
  for (const o of t.replied) for (const tally of [tallyOf(o.section), total]) tally.replied.push(o);
  for (const r of t.duePast) for (const tally of [tallyOf(r.section), total]) tally.duePast += r.n;
  // The receivable channels in their own order, then any other that holds opinions.
  const channels = [...RECEIVABLE_CHANNELS, ...CHANNELS.filter((c) => !isReceivable(c) && total.byChannel.has(c))];

  const sectionNumbers = listedSections(
    report.sections.map((s) => s.number),
    bySection.keys(),
  );
  const raws = sectionNumbers.map((n) => {
    const section = report.sections.find((s) => s.number === n);
    return { sectionNumber: n, label: formatTarget({ sectionNumber: n, sectionTitle: section?.title }), figures: figures(tallyOf(n), nowIso, channels) };
  });
  const received = maskCounts(raws.map((r) => r.figures.received));
  const answered = maskCounts(raws.map((r) => r.figures.answered));

  const toRow = (sectionNumber: number | null, label: string, f: Figures, receivedShown: Count, answeredShown: Count): ResultRow => {
    const small = receivedShown === SMALL_COUNT;
    const byChannel = maskCounts(f.byChannel);
    return {
      sectionNumber,
      label,
      received: receivedShown,
      byChannel: channels.map((channel, i) => ({ channel, label: CHANNEL_LABELS[channel], count: small && f.byChannel[i] > 0 ? SMALL_COUNT : byChannel[i] })),
      answered: small && f.answered > 0 ? SMALL_COUNT : answeredShown,
      onTimePercent: small ? null : f.onTimePercent,
      medianWorkingDays: small ? null : f.medianWorkingDays,
    };
  };

  // The total's label is the reader's words (wordResults); the page has its own heading.
  const totalFigs = figures(total, nowIso, channels);
  const [totalReceived] = maskCounts([totalFigs.received]);
  const [totalAnswered] = maskCounts([totalFigs.answered]);

  const byItem = new Map<string, { section: number; item: number; n: number }>();
  for (const r of t.received) {
    if (r.section === 0 || r.item === null) continue;
    const key = `${r.section}-${r.item}`;
    const entry = byItem.get(key) ?? { section: r.section, item: r.item, n: 0 };
    entry.n += r.n;
    byItem.set(key, entry);
  }
  const top = [...byItem.values()].sort((a, b) => b.n - a.n || a.section - b.section || a.item - b.item).slice(0, TOP_MEASURES);
  const topCounts = maskCounts(top.map((x) => x.n));

  return {
    slug: report.slug,
    title: report.title,
    generatedAt: nowIso,
    total: toRow(null, '', totalFigs, totalReceived, totalAnswered),
    sections: raws.map((raw, i) => toRow(raw.sectionNumber, raw.label, raw.figures, received[i], answered[i])),
    topMeasures: top.map((x, i) => {
      const section = report.sections.find((s) => s.number === x.section);
      const item = section?.items.find((it) => it.number === x.item);
      return {
        sectionNumber: x.section,
        itemNumber: x.item,
        label: formatTarget({ sectionNumber: x.section, sectionTitle: section?.title, itemNumber: x.item, itemHeading: item?.heading }),
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
