// The acknowledgement is not a relay: anyone can type anyone's address, so at
// most ACK_LIMIT_PER_ADDRESS acknowledgements go to one mailbox in 24 hours
// (the client rate limit caps each sender as well). Counted from the outbox,
// in the transaction that would queue the next one, so the cap holds across
// restarts and across opinions committed together.
import type { DB } from '~/server/db.server';
import { preparedQuery } from '~/server/prepared-query.server';

export const ACK_LIMIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * One mailbox however its address is typed: case folded, and a "+tag" after
 * the local part dropped (taro+1@… and Taro@… reach the same person).
 */
export function mailboxKey(email: string): string {
  const at = email.indexOf('@');
  const local = email.slice(0, at).toLowerCase();
  const domain = email.slice(at + 1).toLowerCase();
  return `${local.split('+')[0]}@${domain}`;
}

/** Acknowledgements queued to the mailbox of `email` since `now` − 24 h (read through outbox_mailbox_key). */
export async function countRecentAcknowledgements(trx: DB, email: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - ACK_LIMIT_WINDOW_MS).toISOString();
  const { rows } = await countAcknowledgements(trx, { mailbox: mailboxKey(email), since });
  return Number(rows[0].n);
}

// Asked for every opinion with an email: built once (prepared-query.server.ts).
const countAcknowledgements = preparedQuery((db, p: { mailbox: string; since: string }) =>
  db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailbox_key', '=', p.mailbox)
    .where('created_at', '>=', p.since)
    .where('kind', '=', 'citizen_ack'),
);
