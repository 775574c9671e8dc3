import { createRandom } from '../random.ts';
import type { Delivery } from './types.ts';

export interface PerturbOptions {
  /** Seeds every choice below: the same seed gives the same stream. Default 1. */
  seed?: number;
  /** Probability that a delivery is sent twice (byte-identical body; the copy lands somewhere later). Default 0. */
  duplicateRate?: number;
  /** Shuffle the whole stream (no ordering guarantee, e.g. a CANCELLED before its CREATED). Default false. */
  shuffle?: boolean;
  /** Give each delivery a random `delayMs` in [min, max] before it is sent. Default none. */
  delayMs?: [min: number, max: number];
}

/**
 * A stream as a receiver may see it: duplicated, reordered and delayed, deterministically from `seed`.
 * The input is not modified.
 */
export function perturbStream(deliveries: readonly Delivery[], options: PerturbOptions = {}): Delivery[] {
  const random = createRandom(options.seed ?? 1);
  const out: Delivery[] = [];
  for (const delivery of deliveries) {
    out.push({ ...delivery });
    if (options.duplicateRate && random.chance(options.duplicateRate)) {
      // The copy goes after the original, anywhere later in the stream so far or at its end.
      const at = random.int(out.length, out.length + 2);
      out.splice(Math.min(at, out.length), 0, { ...delivery });
    }
  }
  if (options.shuffle) {
    for (let i = out.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
  }
  const delay = options.delayMs;
  if (delay) for (const delivery of out) delivery.delayMs = random.int(delay[0], delay[1]);
  return out;
}
