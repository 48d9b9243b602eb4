// The rules of an opinion's status, beside the list of statuses itself.
import { OPINION_STATUSES, type OpinionStatus } from '../../db/schema';

export { OPINION_STATUSES, type OpinionStatus };

/** Statuses in which an opinion no longer waits for the office (never overdue). */
export const SETTLED_STATUSES = ['answered', 'closed', 'out_of_scope', 'duplicate'] as const satisfies readonly OpinionStatus[];
/** The complement of SETTLED_STATUSES; queries name these so that (status, due_at) serves "overdue". */
export const OPEN_STATUSES = ['new', 'triaged', 'in_progress'] as const satisfies readonly OpinionStatus[];

export function isSettled(status: OpinionStatus): boolean {
  return (SETTLED_STATUSES as readonly string[]).includes(status);
}

/** Past its deadline and still waiting for the office. */
export function isOverdue(dueAt: string, status: OpinionStatus, now: string = new Date().toISOString()): boolean {
  return dueAt < now && !isSettled(status);
}
