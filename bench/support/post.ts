import { type Agent, request } from 'undici';
import type { SignedDelivery } from './deliveries.ts';
import { sleep } from './services.ts';

export interface PostOptions {
  /** Requests in flight at most (one keep-alive connection each). */
  lanes: number;
  /** Paces delivery i to start at i / perSecond seconds (open loop, evenly spaced); as fast as possible when absent. */
  perSecond?: number;
}

/**
 * Posts every delivery once and returns each one's latency in ms; throws on anything but 202. When paced, a latency
 * counts from the delivery's scheduled start, so a server that falls behind is not flattered (no coordinated
 * omission). autocannon's `overallRate` is not used for this: it sends each second's quota in a burst at the start
 * of the second, which measures bursts, not a steady rate.
 */
export async function postAll(
  dispatcher: Agent,
  url: string,
  deliveries: readonly SignedDelivery[],
  options: PostOptions,
): Promise<number[]> {
  const { lanes, perSecond } = options;
  const latencies = new Array<number>(deliveries.length);
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < deliveries.length; i = next++) {
      let startAt = performance.now();
      if (perSecond) {
        startAt = started + (i * 1_000) / perSecond;
        const wait = startAt - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const delivery = deliveries[i]!;
      const answer = await request(url, { dispatcher, method: 'POST', headers: delivery.headers, body: delivery.body });
      const text = await answer.body.text();
      latencies[i] = performance.now() - startAt;
      if (answer.statusCode !== 202) throw new Error(`${url} answered ${answer.statusCode}: ${text}`);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return latencies;
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
