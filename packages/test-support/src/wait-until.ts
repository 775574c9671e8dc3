export interface WaitOptions {
  /** How long to keep reading before giving up; 20 s unless given (a deadline only ends a failing test). */
  timeoutMs?: number;
  /** The pause between two reads; 20 ms unless given. */
  intervalMs?: number;
}

/** What `read` gives when no `done` is passed: its value once truthy. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Reads `read()` until `done` holds for its value (until the value is truthy when `done` is left out) and returns
 * that value. When the deadline passes first it throws an error that names `what` was awaited and shows the last
 * value read. The one polling loop of the tests: wait for a condition with a deadline instead of sleeping.
 */
export async function waitUntil<T>(
  what: string,
  read: () => T | Promise<T>,
  done?: undefined,
  options?: WaitOptions,
): Promise<Truthy<T>>;
export async function waitUntil<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  options?: WaitOptions,
): Promise<T>;
export async function waitUntil<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean = Boolean,
  { timeoutMs = 20_000, intervalMs = 20 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${describe(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 1_000 ? `${text.slice(0, 1_000)}…` : text;
}
