// The inbox's filters as they travel in the URL (?status=new&q=駐車...), shared
// by the inbox page, the CSV export and the links that keep a view.
import { z } from 'zod';
import { CHANNELS, OPINION_STATUSES, type Channel, type OpinionStatus } from '../../db/schema';

/** Opinions per inbox page (shared by the page and the query). */
export const INBOX_PAGE_SIZE = 50;

const id = z.coerce.number().int().positive().max(2 ** 31);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d));

export const inboxFilterFields = {
  reportId: id,
  section: z.coerce.number().int().min(0).max(99),
  item: z.coerce.number().int().min(1).max(99),
  status: z.enum(OPINION_STATUSES),
  // Every stored channel, not only the receivable ones: a link may name any.
  channel: z.enum(CHANNELS),
  unitId: id,
  assigneeId: id,
  from: isoDate,
  to: isoDate,
  overdue: z.enum(['1']).transform(() => true as const),
  // Control characters (NUL above all) would end the FTS5 string early.
  q: z
    .string()
    .transform((v) => v.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, ' ').trim())
    .pipe(z.string().min(1).max(100)),
  page: z.coerce.number().int().min(1).max(10_000),
} as const;

export type InboxFilters = {
  reportId?: number;
  section?: number;
  item?: number;
  status?: OpinionStatus;
  channel?: Channel;
  unitId?: number;
  assigneeId?: number;
  /** Received on or after this date (YYYY-MM-DD, Asia/Shanghai). */
  from?: string;
  /** Received on or before this date (YYYY-MM-DD, Asia/Shanghai). */
  to?: string;
  overdue?: boolean;
  q?: string;
  page?: number;
};

/**
 * Reads filters from a query string. A filter form submits empty fields, so
 * empty values mean "no filter"; a malformed value is dropped and named in
 * `invalid` so the page can say which one was ignored.
 */
export function parseInboxFilters(params: URLSearchParams): { filters: InboxFilters; invalid: (keyof InboxFilters)[] } {
  const filters: Record<string, unknown> = {};
  const invalid: (keyof InboxFilters)[] = [];
  for (const key of Object.keys(inboxFilterFields) as (keyof InboxFilters)[]) {
    const raw = params.get(key);
    if (raw === null || raw.trim() === '') continue;
    const parsed = inboxFilterFields[key].safeParse(raw);
    if (parsed.success) filters[key] = parsed.data;
    else invalid.push(key);
  }
  return { filters: filters as InboxFilters, invalid };
}

/** The query string for filters (page omitted unless given), for links that keep a view. */
export function inboxSearchParams(filters: InboxFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(inboxFilterFields) as (keyof InboxFilters)[]) {
    const value = filters[key];
    if (value === undefined || value === false) continue;
    params.set(key, value === true ? '1' : String(value));
  }
  return params;
}
