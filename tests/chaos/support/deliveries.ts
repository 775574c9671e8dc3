import { type Delivery, lifecycle, signDelivery } from '@calsync/cal-sim';
import { Agent, request } from 'undici';

/** `count` distinct BOOKING_CREATED deliveries, one booking each (seeds from `firstSeed`). */
export function distinctBookings(count: number, firstSeed: number): Delivery[] {
  return Array.from({ length: count }, (_, i) => lifecycle('book', { seed: firstSeed + i })[0]!);
}

export interface StreamResult {
  sent: number;
  /** Delivery ids (from the 202 bodies) in the order they were acknowledged. */
  acknowledged: string[];
  /** Answers that were not 202, by status (0 = the connection failed). */
  refused: Map<number, number>;
}

/**
 * Posts every delivery once (Cal.com never retries), `concurrency` at a time, at about `perSecond` overall when
 * given. A failed connection counts as refused, never thrown: the suites kill the receiver on purpose.
 */
export async function postStream(
  url: string,
  deliveries: readonly Delivery[],
  secret: string,
  options: { concurrency?: number; perSecond?: number; onProgress?: (sent: number) => void } = {},
): Promise<StreamResult> {
  const dispatcher = new Agent({ connections: options.concurrency ?? 16, keepAliveTimeout: 2_000 });
  const result: StreamResult = { sent: 0, acknowledged: [], refused: new Map() };
  const startedAt = Date.now();
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < deliveries.length; i = next++) {
      if (options.perSecond) {
        const due = startedAt + (i * 1_000) / options.perSecond;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      }
      const delivery = deliveries[i]!;
      result.sent++;
      options.onProgress?.(result.sent);
      const status = await post(dispatcher, url, delivery.rawBody, secret).then(
        (answer) => {
          if (answer.status === 202) result.acknowledged.push((JSON.parse(answer.body) as { id: string }).id);
          return answer.status;
        },
        () => 0,
      );
      if (status !== 202) result.refused.set(status, (result.refused.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, lane));
  await dispatcher.close();
  return result;
}

async function post(dispatcher: Agent, url: string, rawBody: string, secret: string) {
  const response = await request(url, {
    dispatcher,
    method: 'POST',
    headers: signDelivery(rawBody, secret),
    body: rawBody,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  return { status: response.statusCode, body: await response.body.text() };
}
