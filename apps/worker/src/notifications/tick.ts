import type { Database } from '@calsync/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { writeAgendaIfDue } from './agenda.ts';
import type { ChangedBookings } from './changed-bookings.ts';
import { writeAlerts } from './owner-alerts.ts';
import { findProblems } from './owner-problems.ts';
import { cancelStaleReminders, scheduleReminders } from './schedule-reminders.ts';
import { type SendDeps, sendDue } from './send-due.ts';

/** How far ahead the periodic pass looks (it runs every `fullPassEveryMs`, 30 s by default). */
export const PASS_HORIZON_MS = 2 * 3_600_000;

export interface TickSettings {
  offsetsMs: number[];
  ownerEmail?: string;
  ownerTimezone: string;
  /** Bookings due within PASS_HORIZON_MS are looked at this often, the changed ones every tick (seats leave no Change). */
  fullPassEveryMs: number;
  /** How often the owner's problems and agenda are checked. */
  ownerCheckEveryMs: number;
}

/** One process's state between ticks: the change-feed cursor and when the slow passes last ran. */
export interface TickState {
  changes: ChangedBookings;
  lastFullPass: number;
  lastOwnerCheck: number;
}

export interface TickDeps {
  db: Database;
  redis: Redis;
  log: Logger;
  settings: TickSettings;
  now?: () => Date;
}

// The owner's e-mails must never hold up the attendees' reminders: a failure here is logged and the tick goes on.
async function ownerChecks(deps: TickDeps, ownerEmail: string, now: Date) {
  try {
    await writeAlerts(deps.db, ownerEmail, await findProblems(deps.db, deps.redis));
  } catch (err) {
    deps.log.error({ err }, 'could not check for problems to alert the owner about');
  }
  try {
    await writeAgendaIfDue(deps.db, ownerEmail, deps.settings.ownerTimezone, now);
  } catch (err) {
    deps.log.error({ err }, 'could not write the daily agenda');
  }
}

/** Schedules what changed and writes the owner's e-mails that fell due; the sender loop (sendRound) sends them. */
export async function runTick(deps: TickDeps, state: TickState): Promise<{ scheduled: number }> {
  const { db, settings } = deps;
  const now = deps.now?.() ?? new Date();
  const changed = await state.changes.next(db);
  let scheduled = 0;
  if (changed === 'all') {
    // This process has not looked before: every booking, whatever happened while no worker ran.
    state.lastFullPass = now.getTime();
    await cancelStaleReminders(db, settings.offsetsMs);
    scheduled = await scheduleReminders(db, settings.offsetsMs);
  } else if (now.getTime() - state.lastFullPass >= settings.fullPassEveryMs) {
    // The periodic pass catches what leaves no Change (a seat taken or left); it only needs the reminders falling
    // due soon, because it comes round again long before the later ones are due.
    state.lastFullPass = now.getTime();
    const horizonMs = PASS_HORIZON_MS;
    await cancelStaleReminders(db, settings.offsetsMs, { horizonMs });
    scheduled = await scheduleReminders(db, settings.offsetsMs, { horizonMs });
  }
  if (changed !== 'all' && changed.length > 0) {
    await cancelStaleReminders(db, settings.offsetsMs, { uids: changed });
    scheduled += await scheduleReminders(db, settings.offsetsMs, { uids: changed });
  }
  if (settings.ownerEmail && now.getTime() - state.lastOwnerCheck >= settings.ownerCheckEveryMs) {
    state.lastOwnerCheck = now.getTime();
    await ownerChecks(deps, settings.ownerEmail, now);
  }
  return { scheduled };
}

/**
 * One round of the sender: cancels due reminders whose booking no longer wants them (cancelled since the last
 * scheduling pass), then sends every due row.
 */
export async function sendRound(deps: SendDeps & { offsetsMs: number[] }): Promise<number> {
  await cancelStaleReminders(deps.db, deps.offsetsMs, { dueOnly: true });
  return await sendDue(deps);
}
