// Sign-ins refused by a lock or a wait are audited, but not one row (and one
// disk sync) each: a flood of refused guesses would otherwise be a flood of
// durable writes. They are counted here in memory and written as one
// `auth.refused` row per account per 15-minute window, when the window ends
// (housekeeping looks every minute) or at shutdown.
import { recordAudit } from '~/models/audit.server';
import type { DB } from './db.server';
import { log } from './request-log.server';

const WINDOW_MS = 15 * 60 * 1000;
/** Distinct accounts held at once; past this the held counts are written early. */
const MAX_HELD = 10_000;
/** Client hashes kept per account row: enough to see one source or many. */
const MAX_CLIENTS = 20;

type Held = { firstAt: number; lastAt: number; refused: number; account: number; client: number; clients: Set<string> };

const held = new Map<string, Held>();

/** Counts one refused sign-in; returns true when the held counts should be written now (the table is full). */
export function noteRefusedSignIn(email: string, scope: 'account' | 'client', clientHash: string, now = Date.now()): boolean {
  let entry = held.get(email);
  if (!entry) {
    entry = { firstAt: now, lastAt: now, refused: 0, account: 0, client: 0, clients: new Set() };
    held.set(email, entry);
  }
  entry.lastAt = now;
  entry.refused += 1;
  entry[scope] += 1;
  if (entry.clients.size < MAX_CLIENTS) entry.clients.add(clientHash);
  return held.size >= MAX_HELD;
}

/** Writes the windows that have ended (all of them with `everything`), in one transaction. */
export async function flushRefusedSignIns(db: DB, options: { everything?: boolean; now?: number } = {}): Promise<number> {
  const now = options.now ?? Date.now();
  const due = [...held].filter(([, e]) => options.everything || now - e.firstAt >= WINDOW_MS);
  if (due.length === 0) return 0;
  for (const [email] of due) held.delete(email);
  try {
    await db.transaction().execute(async (trx) => {
      for (const [email, e] of due) {
        await recordAudit(trx, {
          actor: null,
          actorLabel: email,
          action: 'auth.refused',
          entityType: 'login',
          entityId: null,
          after: {
            email,
            refused: e.refused,
            byScope: { account: e.account, client: e.client },
            from: new Date(e.firstAt).toISOString(),
            to: new Date(e.lastAt).toISOString(),
            clientHashes: [...e.clients],
          },
        });
      }
    });
  } catch (error) {
    log('error', 'refused sign-ins could not be audited', { accounts: due.length, error: String(error) });
    return 0;
  }
  return due.length;
}
