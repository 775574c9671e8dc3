import type { Database } from '@calsync/db';
import { type Outcome, recordTries, type TryRecord } from './record.ts';

export interface Recorder {
  /** Resolves once the try is in the database, with the delivery's outcome. */
  record: (entry: TryRecord) => Promise<Outcome>;
}

interface Waiting {
  entry: TryRecord;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the tries finished while the previous write was in flight and records them together: one statement for
 * many messages under load, one per message when idle (the first try of a quiet moment is written at once).
 */
export function createRecorder(db: Database, now: () => Date, pauseAfterMs: number, maxBatch = 200): Recorder {
  let waiting: Waiting[] = [];
  let writing = false;

  async function flush() {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        const outcomes = await recordTries(
          db,
          batch.map((w) => w.entry),
          now(),
          pauseAfterMs,
        );
        for (const [i, w] of batch.entries()) w.resolve(outcomes[i]!);
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    writing = false;
  }

  return {
    record: (entry) =>
      new Promise<Outcome>((resolve, reject) => {
        waiting.push({ entry, resolve, reject });
        if (!writing) void flush();
      }),
  };
}
