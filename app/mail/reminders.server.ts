// Deadline reminders to the responsible unit (three working days before the
// due date, and on it) and the escalation of overdue opinions to
// ESCALATION_EMAIL, one list per unit. Each opinion gets each stage at most
// once: the stage is recorded (primary key: opinion, stage) in the same
// BEGIN IMMEDIATE transaction that queues the mail, so processes racing or
// restarting cannot send it twice. Functions of `now`, for tests and for the
// timer alike.
import type { DB } from '~/server/db.server';
import { addWorkingDays } from '~/domain/due-date';
import { listStageCandidates, recordMailStages, type StageCandidate } from '~/models/mail-stages.server';
import { getEnv } from '~/utils/env.server';
import { endOfLocalDay, startOfLocalDay } from '~/utils/local-time';
import { DUE_SOON_WORKING_DAYS, officeMailDay, runDigest, type OfficeMailConfig } from './digest.server';
import { loadNoticeTitles } from './notice-titles.server';
import { enqueueMessage } from './outbox.server';
import { overdueEscalation, unitReminder } from './reminder-mail.server';
import { log } from '~/server/request-log.server';

export type ReminderOutcome = { reminderBefore: number; reminderDue: number; escalations: number };

/**
 * On the Shanghai day of `now`, from DIGEST_HOUR on: units are reminded of
 * opinions due within three working days (not today) and of those due today;
 * opinions past their due day are escalated.
 */
export async function runReminders(db: DB, now = new Date(), config: OfficeMailConfig = getEnv()): Promise<ReminderOutcome> {
  const outcome: ReminderOutcome = { reminderBefore: 0, reminderDue: 0, escalations: 0 };
  const day = officeMailDay(now, config.DIGEST_HOUR);
  if (!day) return outcome;
  const startOfToday = startOfLocalDay(day)!;
  const endOfToday = endOfLocalDay(day)!;
  const reminderHorizon = endOfLocalDay(addWorkingDays(now, DUE_SOON_WORKING_DAYS))!;

  await db.transaction().execute(async (trx) => {
    const before = await listStageCandidates(trx, 'reminder_before', { after: endOfToday, through: reminderHorizon });
    const due = await listStageCandidates(trx, 'reminder_due', { after: startOfToday, through: endOfToday });
    const overdue = config.ESCALATION_EMAIL ? await listStageCandidates(trx, 'escalation', { before: startOfToday }) : [];
    if (before.length + due.length + overdue.length === 0) return;
    const titles = await loadNoticeTitles(trx, [...before, ...due, ...overdue].map((o) => o.reportId));

    for (const [stage, list] of [['reminder_before', before], ['reminder_due', due]] as const) {
      for (const o of list) {
        const mail = unitReminder(stage, o, titles, config.PUBLIC_URL, config.OFFICE_LANG);
        const id = await enqueueMessage(trx, { opinionId: o.id, kind: `unit_${stage}`, recipient: o.unitEmail!, ...mail });
        if (id === null) continue;
        await recordMailStages(trx, [o.id], stage, id, now);
        if (stage === 'reminder_before') outcome.reminderBefore++;
        else outcome.reminderDue++;
      }
    }

    const byUnit = new Map<number | null, StageCandidate[]>();
    for (const o of overdue) byUnit.set(o.unitId, [...(byUnit.get(o.unitId) ?? []), o]);
    for (const list of byUnit.values()) {
      const mail = overdueEscalation(list[0].unitName, list, titles, config.PUBLIC_URL, config.OFFICE_LANG);
      const id = await enqueueMessage(trx, { opinionId: null, kind: 'overdue_escalation', recipient: config.ESCALATION_EMAIL!, ...mail });
      if (id === null) continue;
      await recordMailStages(
        trx,
        list.map((o) => o.id),
        'escalation',
        id,
        now,
      );
      outcome.escalations++;
    }
  });
  return outcome;
}

/** One pass of the office's timed mail: the digest, then reminders and escalations. */
export async function runOfficeMail(db: DB, now = new Date(), config: OfficeMailConfig = getEnv()) {
  const digest = await runDigest(db, now, config);
  const reminders = await runReminders(db, now, config);
  return { digest, reminders };
}

const TICK_MS = 60_000;

/** Runs the office's timed mail soon after start and then every minute; the returned function stops it. */
export function startOfficeMailTimer(db: DB, tickMs = TICK_MS): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let first = true;
  const tick = () => {
    inFlight = runOfficeMail(db)
      .then(({ digest, reminders }) => {
        const queued = digest.status === 'sent' || reminders.reminderBefore + reminders.reminderDue + reminders.escalations > 0;
        // One line at start says the timer works; after that, only when something was queued.
        if (first || queued) log('info', first ? 'office mail checked at start' : 'office mail queued', { digest: digest.status, ...reminders });
        first = false;
      })
      .catch((error) => log('error', 'office mail failed', { error: String(error) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, tickMs);
      });
  };
  timer = setTimeout(tick, Math.min(tickMs, 1000));
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await inFlight;
  };
}
