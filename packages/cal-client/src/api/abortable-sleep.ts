import { setTimeout as sleep } from 'node:timers/promises';

/** Sleeps `ms`; when `signal` aborts, rejects with the signal's own reason (not a generic AbortError). */
export async function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  }
}
