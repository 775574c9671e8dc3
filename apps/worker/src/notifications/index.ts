import { notificationsTickJob, workerConnection } from '@calsync/jobs';
import { Queue, Worker } from 'bullmq';
import { keepScheduled } from '../keep-scheduled.ts';
import type { RunningWorker, WorkerDeps } from '../worker-context.ts';
import { ChangedBookings } from './changed-bookings.ts';
import { composer } from './compose.ts';
import { createSmtpMailer, type Mailer } from './mailer.ts';
import { ownerMailComposer } from './owner-mail.ts';
import { defaultSendPolicy, type SendPolicy } from './send-due.ts';
import { startSenderLoop } from './sender-loop.ts';
import { TemplateStore } from './templates.ts';
import { runTick, sendRound, type TickState } from './tick.ts';

export interface NotificationOptions {
  /** How often the scheduling tick runs (default 1 s): how soon a booking change reaches its reminders. */
  tickEveryMs?: number;
  /** How often this process looks for due rows when it found none (default 250 ms): how late a reminder may be. */
  sendEveryMs?: number;
  fullPassEveryMs?: number;
  ownerCheckEveryMs?: number;
  policy?: Partial<SendPolicy>;
  /** Replaces the SMTP transport (the bench counts sends in process). */
  mailer?: Mailer;
  now?: () => Date;
}

const off: RunningWorker = { close: async () => {} };

/**
 * E-mail out: reminders that follow the booking rows, owner alerts and the daily agenda, all through the
 * `notifications` table. Off without SMTP_URL (said once here). A tick job every second schedules, on whichever
 * worker takes it; every worker's sender loop sends, and the rows, claimed with SKIP LOCKED under a lease, make sure
 * each message goes out once.
 */
export async function startNotifications(deps: WorkerDeps, options: NotificationOptions = {}): Promise<RunningWorker> {
  const { env, resources, logger } = deps;
  const log = logger.child({ queue: notificationsTickJob.queue });
  if (!env.SMTP_URL || !env.MAIL_FROM) {
    log.info('e-mail is off: SMTP_URL is not set, so no reminders, owner alerts or daily agenda are sent');
    return off;
  }
  const mailer = options.mailer ?? createSmtpMailer(env.SMTP_URL, env.MAIL_FROM);
  const templates = new TemplateStore(env.TEMPLATES_DIR);
  const compose = composer({
    db: resources.db,
    templates,
    composeOwnerMail: ownerMailComposer(resources.db, templates),
  });
  const policy = { ...defaultSendPolicy, ...options.policy };
  const state: TickState = { changes: new ChangedBookings(), lastFullPass: 0, lastOwnerCheck: 0 };
  const settings = {
    offsetsMs: env.REMINDER_OFFSETS,
    ownerEmail: env.OWNER_EMAIL,
    ownerTimezone: env.OWNER_TIMEZONE,
    fullPassEveryMs: options.fullPassEveryMs ?? 30_000,
    ownerCheckEveryMs: options.ownerCheckEveryMs ?? 30_000,
  };
  if (!env.OWNER_EMAIL) log.info('OWNER_EMAIL is not set: no owner alerts or daily agenda');

  const connection = workerConnection(resources.redisUrl);
  const prefix = resources.redisPrefix;
  const queue = new Queue(notificationsTickJob.queue, { connection, prefix });
  queue.on('error', () => {});
  const stopSchedule = await keepScheduled(
    queue,
    [
      {
        id: notificationsTickJob.name,
        upsert: () =>
          queue.upsertJobScheduler(
            notificationsTickJob.name,
            { every: options.tickEveryMs ?? 1_000 },
            { name: notificationsTickJob.name, data: {}, opts: notificationsTickJob.options },
          ),
      },
    ],
    (err) => log.warn({ err }, 'could not check the notifications schedule'),
  );
  const worker = new Worker(
    notificationsTickJob.queue,
    async () =>
      await runTick(
        {
          db: resources.db,
          redis: resources.redis,
          log,
          settings,
          now: options.now,
        },
        state,
      ),
    { connection, prefix, concurrency: 1 },
  );
  worker.on('failed', (_job, err) => log.error({ err }, 'notifications tick failed'));
  worker.on('error', (err) => log.error({ err }, 'notifications worker error'));
  const sender = startSenderLoop(
    () => sendRound({ db: resources.db, log, mailer, policy, compose, offsetsMs: settings.offsetsMs }),
    options.sendEveryMs ?? 250,
    log,
  );
  log.info({ offsetsMs: settings.offsetsMs, owner: Boolean(settings.ownerEmail) }, 'e-mail is on');
  return {
    close: async () => {
      stopSchedule();
      await Promise.all([worker.close(), sender.stop()]);
      await queue.close();
      mailer.close();
    },
  };
}
