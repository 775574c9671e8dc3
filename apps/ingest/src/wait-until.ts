// Test support (not a test file): a 202 means durable in one store; the row reaches PostgreSQL just after.

/**
 * Reads `read()` until `done` holds for its value or the deadline passes, and returns the last value either way, so
 * the caller's own `expect` reports what was there at the deadline.
 */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
