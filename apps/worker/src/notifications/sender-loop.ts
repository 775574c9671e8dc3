import type { Logger } from 'pino';

export interface SenderLoop {
  /** Lets the round in progress finish, then stops. */
  stop: () => Promise<void>;
}

/**
 * Runs `round` in this process every `everyMs`, and again at once while it finds work. Every worker runs one, so
 * sending scales with workers (the tick job, one at a time across all of them, only schedules). A failed round is
 * logged and the next one comes as usual: a PostgreSQL or SMTP outage pauses e-mail, it does not end it.
 */
export function startSenderLoop(round: () => Promise<number>, everyMs: number, log: Logger): SenderLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let failures = 0;
  const run = async () => {
    let delay = everyMs;
    try {
      if ((await round()) > 0) delay = 0;
      failures = 0;
    } catch (err) {
      // While PostgreSQL is away, back off to every 10 s instead of logging four times a second.
      failures += 1;
      delay = Math.min(everyMs * 2 ** failures, 10_000);
      if (failures === 1 || delay === 10_000) log.error({ err, failures }, 'sending e-mails failed; trying again');
    }
    if (!stopped) timer = setTimeout(() => (running = run()), delay);
  };
  running = run();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
