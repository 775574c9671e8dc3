let lastMicros = 0;

/**
 * The time a delivery was received, as an ISO string with microseconds, strictly increasing within this process.
 * It doubles as the request's token: the worker may store a delivery's row from its job before ingest's own insert
 * runs, and ingest recognises that row as its own (not a duplicate) by this exact value.
 */
export function nextReceivedAt(): string {
  lastMicros = Math.max(Date.now() * 1_000, lastMicros + 1);
  const millis = Math.floor(lastMicros / 1_000);
  const micros = String(lastMicros % 1_000).padStart(3, '0');
  return new Date(millis).toISOString().replace('Z', `${micros}Z`);
}
