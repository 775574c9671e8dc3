/**
 * Runs `close` once on SIGINT or SIGTERM, then exits 0 (1 if closing failed).
 * A second signal while closing exits at once with 1.
 */
export function closeOnSignals(
  close: () => Promise<void>,
  log: { info: (msg: string) => void; error: (obj: object, msg: string) => void },
) {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log.info(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    log.info(`${signal}: draining and closing`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
