export interface ShutdownLog {
  info: (msg: string) => void;
  error: (obj: object, msg: string) => void;
}

export interface CloseOnSignalsOptions {
  /**
   * Also close when the parent process exits. Defaults to whether a package manager started this process
   * (`startedByPackageManager`).
   */
  watchParent?: boolean;
}

/**
 * True when a package manager runs this process as a package.json script (`pnpm start`, `pnpm --filter … start`,
 * `npm start`): each of them sets `npm_lifecycle_event` to the script's name. Read here, not in an app's env.ts,
 * because it says how the process was launched, not how the operator configured it.
 */
export function startedByPackageManager(environment: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(environment.npm_lifecycle_event);
}

/**
 * Runs `close` once on SIGINT or SIGTERM, then exits 0 (1 if closing failed).
 * A second signal while closing exits at once with 1.
 *
 * Under a package manager it also closes when the parent process disappears: `pnpm start` (pnpm 12) does not pass a
 * SIGTERM sent to pnpm alone on to its child, so without this watch the server would outlive the pnpm that started
 * it. Started any other way (`setsid`, a double fork, `nohup … &` from a deploy script that then exits), losing the
 * parent is how the process was meant to run on, so it runs until a signal.
 */
export function closeOnSignals(
  close: () => Promise<void>,
  log: ShutdownLog,
  { watchParent = startedByPackageManager() }: CloseOnSignalsOptions = {},
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
  if (!watchParent) return;
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent && !closing) shutDown('parent process exited');
  }, 1_000);
  watch.unref();
}
