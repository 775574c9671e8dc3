/** Exit codes scripts can rely on. */
export const exitCodes = {
  ok: 0,
  /** The command ran and failed: a sync run failed, a delivery is unknown, PostgreSQL or Redis unreachable. */
  failed: 1,
  /** The command line or the configuration is wrong; nothing was done. */
  usage: 2,
} as const;

/** Thrown for a bad command line; the CLI prints the message and the usage, then exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
