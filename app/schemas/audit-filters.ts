// The audit log's filters as they travel in the URL (?actor=3&action=auth.login).
import { z } from 'zod';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

// Bad filter values are dropped rather than refused: a hand-edited URL still shows the log.
export const auditFiltersSchema = z.object({
  actor: z.coerce.number().int().positive().optional().catch(undefined),
  action: z.string().max(100).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});

export type AuditFilterParams = z.output<typeof auditFiltersSchema>;

/** Filters from a query string; empty fields mean "no filter". */
export function parseAuditFilters(params: URLSearchParams): AuditFilterParams {
  return auditFiltersSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== '')));
}
