// The office's daily digest. Every process may call runDigest as often as it
// likes: the day is claimed by a row keyed on the Shanghai date, written in the
// same BEGIN IMMEDIATE transaction as the digest's outbox messages, so of two
// processes racing (or one restarting) exactly one writes them.
import type { DB } from '~/server/db.server';
import { addWorkingDays } from '~/domain/due-date';
import { hasDigestForDay, lastDigestWindowEnd, listNewOpinions, listOpenOpinionsDue, recordDigest } from '~/models/digests.server';
import { getEnv, type Env } from '~/utils/env.server';
import { endOfLocalDay, toLocalDateTime, toLocalDay } from '~/utils/local-time';
import { officeDigest } from './digest-mail.server';
import { loadNoticeTitles } from './notice-titles.server';
import { enqueueMessage } from './outbox.server';

/** OFFICE_LANG may be left out (tests, scripts): the office's mail is then in Japanese, as the setting's default. */
export type OfficeMailConfig = Pick<Env, 'OFFICE_MAIL_MODE' | 'DIGEST_HOUR' | 'OFFICE_EMAIL' | 'ESCALATION_EMAIL' | 'PUBLIC_URL'> &
  Partial<Pick<Env, 'OFFICE_LANG'>>;

/** Working days ahead that count as "due soon", in the digest and for the unit's first reminder. */
export const DUE_SOON_WORKING_DAYS = 3;

/** The Shanghai day whose office mail may go out at `now`: null before DIGEST_HOUR. */
export function officeMailDay(now: Date, hour: number): string | null {
  return Number(toLocalDateTime(now).slice(11, 13)) >= hour ? toLocalDay(now) : null;
}

export type DigestOutcome =
  | { status: 'sent'; day: string; messages: number; newCount: number; dueSoonCount: number; overdueCount: number }
  | { status: 'nothing-to-say' | 'already-done'; day: string }
  | { status: 'not-yet' | 'off' };

export async function runDigest(db: DB, now = new Date(), config: OfficeMailConfig = getEnv()): Promise<DigestOutcome> {
  if (config.OFFICE_MAIL_MODE === 'each') return { status: 'off' };
  const day = officeMailDay(now, config.DIGEST_HOUR);
  if (!day) return { status: 'not-yet' };
  return db.transaction().execute(async (trx): Promise<DigestOutcome> => {
    if (await hasDigestForDay(trx, day)) return { status: 'already-done', day };
    const windowEnd = now.toISOString();
    // The first digest looks back one day: switching the mode on must not mail the whole archive.
    const windowStart = (await lastDigestWindowEnd(trx)) ?? new Date(now.getTime() - 24 * 3600_000).toISOString();
    const [fresh, dueSoon, overdue] = [
      await listNewOpinions(trx, windowStart, windowEnd),
      await listOpenOpinionsDue(trx, { from: windowEnd, to: endOfLocalDay(addWorkingDays(now, DUE_SOON_WORKING_DAYS))! }),
      await listOpenOpinionsDue(trx, { to: windowEnd }),
    ];
    const counts = { newCount: fresh.total, dueSoonCount: dueSoon.total, overdueCount: overdue.total };
    let messages = 0;
    if (fresh.total + dueSoon.total + overdue.total > 0) {
      const titles = await loadNoticeTitles(trx, [...fresh.opinions, ...dueSoon.opinions, ...overdue.opinions].map((o) => o.reportId));
      const mail = officeDigest({ day, windowStart, windowEnd, fresh, dueSoon, overdue, titles, publicUrl: config.PUBLIC_URL }, config.OFFICE_LANG);
      for (const recipient of config.OFFICE_EMAIL) {
        if ((await enqueueMessage(trx, { opinionId: null, kind: 'office_digest', recipient, ...mail })) !== null) messages++;
      }
    }
    // Written even when there was nothing to say: the day is done, and the next window starts here.
    await recordDigest(trx, { day, windowStart, windowEnd, ...counts, messageCount: messages }, now);
    return messages > 0 ? { status: 'sent', day, messages, ...counts } : { status: 'nothing-to-say', day };
  });
}
