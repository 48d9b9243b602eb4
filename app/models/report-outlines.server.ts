// The staff console's choice lists: reports with their sections and items
// (filters, recording an opinion, CSV labels), units and assignees. Reports
// build on the cached getReportOutline, the one loader of a report's outline.
import type { TFunction } from 'i18next';
import { getT } from '~/i18n/catalogs.server';
import { getReportOutline } from '~/models/opinion-targets.server';
import { listReports } from '~/models/reports.server';
import { listUnits } from '~/models/units.server';
import { listUsers } from '~/models/users.server';
import type { DB } from '~/server/db.server';
import { wordMessage } from '~/utils/user-error.server';

export type ReportOutlineChoice = {
  id: number;
  slug: string;
  title: string;
  sections: Array<{ number: number; title: string; items: Array<{ number: number; heading: string }> }>;
};

export type Choice = { id: number; label: string };

/** Every published report with its section titles and item headings (no bodies), newest first. */
export async function listReportOutlines(db: DB): Promise<ReportOutlineChoice[]> {
  const reports = await listReports(db);
  const outlines = await Promise.all(reports.map((r) => getReportOutline(db, r.slug)));
  return outlines
    .filter((o) => o !== null)
    .map((o) => ({
      id: o.reportId,
      slug: o.slug,
      title: o.title,
      sections: o.sections.map((s) => ({ number: s.number, title: s.title, items: s.items.map((i) => ({ number: i.number, heading: i.heading })) })),
    }));
}

export type InboxFilterChoices = {
  reports: Choice[];
  /** The highest section and item numbers in any report, for the 項 and 小項目 selects. */
  maxSection: number;
  maxItem: number;
  /** `label` in Japanese; the page words `name` (and `email`) in the reader's language. */
  units: Array<Choice & { name: string; retired: boolean }>;
  assignees: Array<Choice & { name: string; email: string; active: boolean }>;
};

/**
 * What the inbox filters offer. Retired units and inactive people stay
 * choosable (old opinions still carry them), marked as such; a person is named
 * with their email, since two people can share a name.
 */
/** 広報課(廃止): a unit as the filter lists it, in `t`'s language (Japanese without). */
export function unitChoice(name: string, retired: boolean, t?: TFunction): string {
  return retired ? wordMessage(t ?? getT('ja'), { key: 'staff:inbox.filter.retiredUnit', values: { name } }) : name;
}

/** 山田 花子(h.yamada@example.jp・無効): a person as the filter lists them, in `t`'s language (Japanese without). */
export function assigneeChoice(name: string, email: string, active: boolean, t?: TFunction): string {
  return wordMessage(t ?? getT('ja'), { key: active ? 'staff:inbox.filter.assigneeChoice' : 'staff:inbox.filter.inactiveAssignee', values: { name, email } });
}

export async function listInboxFilterChoices(db: DB): Promise<InboxFilterChoices> {
  const [reports, units, users] = await Promise.all([listReportOutlines(db), listUnits(db, { includeRetired: true }), listUsers(db)]);
  const sections = reports.flatMap((r) => r.sections);
  return {
    reports: reports.map((r) => ({ id: r.id, label: r.title })),
    maxSection: Math.max(0, ...sections.map((s) => s.number)),
    maxItem: Math.max(0, ...sections.flatMap((s) => s.items.map((i) => i.number))),
    units: units.map((u) => ({ id: u.id, label: unitChoice(u.name, !!u.retiredAt), name: u.name, retired: !!u.retiredAt })),
    assignees: users.map((u) => ({ id: u.id, label: assigneeChoice(u.displayName, u.email, u.active), name: u.displayName, email: u.email, active: u.active })),
  };
}
