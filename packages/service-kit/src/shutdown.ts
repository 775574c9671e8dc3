/**
 * Runs `close` once on SIGINT or SIGTERM, then exits 0 (1 if closing failed).
 * A second signal while closing exits at once with 1.
 *
 * Also closes when the parent process disappears: `pnpm start` (pnpm 12) does not pass a SIGTERM sent to pnpm alone
 * on to its child, so without this watch the server would outlive the pnpm that started it.
 */
export function closeOnSignals(
  close: () => Promise<void>,
  log: { info: (msg: string) => void; error: (obj: object, msg: string) => void },
) {
  let closing = false;
  const shutDown = (reason: string) => {
    if (closing) {
      log.info(`${reason} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    log.info(`${reason}: draining and closing`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutDown('SIGINT'));
  process.on('SIGTERM', () => shutDown('SIGTERM'));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent && !closing) shutDown('parent process exited');
  }, 1_000);
  watch.unref();
}
