/** Where a command writes: injectable so tests can read it. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Rewrite one progress line in place (a terminal) instead of printing a line per change. */
  isTty: boolean;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  isTty: Boolean(process.stdout.isTTY),
};
