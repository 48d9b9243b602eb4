// The received-mail page's filters as they travel in the URL (?kind=auto_reply&page=2).
import { z } from 'zod';

/** What came in: mail nobody could match (kept for staff), or an auto-reply to our mail. */
export const INBOUND_KINDS = ['message', 'auto_reply'] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

/** Rows per page of /staff/inbound. */
export const INBOUND_PAGE_SIZE = 50;

// A hand-edited URL still shows the page: bad values are dropped, not refused.
const inboundFiltersSchema = z.object({
  kind: z.enum(INBOUND_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});

export type InboundFilters = z.output<typeof inboundFiltersSchema>;

export function parseInboundFilters(params: URLSearchParams): InboundFilters {
  return inboundFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== '')));
}
