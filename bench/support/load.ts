import autocannon from 'autocannon';
import type { DeliveryRotation } from './deliveries.ts';

export interface LoadFigures {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** POSTs a different delivery each request. */
  deliveries?: DeliveryRotation;
  headers?: Record<string, string>;
  /** Per-request headers (e.g. a different client address each time). */
  setupHeaders?: () => Record<string, string>;
}

/** One autocannon run; figures from its own histogram. */
export async function load(options: LoadOptions): Promise<LoadFigures> {
  const { deliveries, setupHeaders } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers ?? {},
    requests: [
      {
        method: deliveries ? 'POST' : 'GET',
        setupRequest: (request) => {
          if (deliveries) {
            const delivery = deliveries.next();
            request.body = delivery.body;
            request.headers = { ...request.headers, ...delivery.headers };
          }
          if (setupHeaders) request.headers = { ...request.headers, ...setupHeaders() };
          return request;
        },
      },
    ],
  });
  return {
    rps: Math.round(result.requests.total / result.duration),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
