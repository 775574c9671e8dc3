import type { IncomingHttpHeaders } from 'node:http';
import {
  CalApiError,
  CalAuthError,
  CalBadRequestError,
  type CalErrorContext,
  CalNetworkError,
  CalNotFoundError,
  CalRateLimitedError,
  CalServerError,
  CalTimeoutError,
} from './errors.ts';
import { calErrorEnvelopeSchema } from './schemas.ts';

/** Cal.com's throttler blocks a key for 60 s after a 429 and sends no Retry-After. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 60_000;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const remainingHeader = /^x-ratelimit-remaining-(.+)$/;

/**
 * What Cal.com's `X-RateLimit-{Limit,Remaining,Reset}-<Name>` headers say. `<Name>` is `Default`, or each named limit
 * the key has (`throttler-guard.ts` capitalises the limit's name), or an endpoint's own limit. With several, the most
 * restrictive wins: the lowest remaining, with that limit's reset (the longest among equals). `resetMs` is null when
 * absent or unreadable.
 */
export function readRateLimitHeaders(headers: IncomingHttpHeaders): {
  remaining: number | null;
  resetMs: number | null;
} {
  let remaining: number | null = null;
  let resetMs: number | null = null;
  for (const name of Object.keys(headers)) {
    const limitName = remainingHeader.exec(name.toLowerCase())?.[1];
    if (!limitName) continue;
    const left = Number.parseInt(header(headers, name) ?? '', 10);
    if (!Number.isFinite(left)) continue;
    const resetSeconds = Number.parseFloat(header(headers, `x-ratelimit-reset-${limitName}`) ?? '');
    const reset = Number.isFinite(resetSeconds) && resetSeconds >= 0 ? Math.ceil(resetSeconds * 1000) : null;
    if (remaining === null || left < remaining) {
      remaining = left;
      resetMs = reset;
    } else if (left === remaining && reset !== null && (resetMs === null || reset > resetMs)) {
      resetMs = reset;
    }
  }
  return { remaining, resetMs };
}

/** Turns a non-2xx answer into the typed error for its status, with Cal.com's error code and message when present. */
export function errorFromAnswer(
  status: number,
  rawBody: string,
  retryAfterMs: number,
  context: CalErrorContext,
): CalApiError {
  let calCode: string | undefined;
  let calMessage: string | undefined;
  try {
    const envelope = calErrorEnvelopeSchema.safeParse(JSON.parse(rawBody));
    if (envelope.success) {
      calCode = envelope.data.error.code;
      calMessage = envelope.data.error.message;
    }
  } catch {
    // not JSON (a proxy's HTML page, say): the status alone decides
  }
  const full = { ...context, status, calCode, calMessage };
  const what = `Cal.com answered ${status} to ${context.endpoint ?? 'a request'}`;
  const message = calMessage || calCode ? `${what}: ${[calCode, calMessage].filter(Boolean).join(': ')}` : what;
  if (status === 401 || status === 403) return new CalAuthError(message, full);
  if (status === 404) return new CalNotFoundError(message, full);
  if (status === 429) return new CalRateLimitedError(message, retryAfterMs, full);
  if (status >= 500) return new CalServerError(message, full);
  return new CalBadRequestError(message, full);
}

/** Turns an undici failure (no answer, or an answer cut short) into CalTimeoutError or CalNetworkError. */
export function errorFromFailure(error: unknown, context: CalErrorContext): CalApiError {
  if (error instanceof CalApiError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const where = context.endpoint ?? 'a request';
  const full = { ...context, cause: error };
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new CalTimeoutError(`connecting to Cal.com timed out (${where})`, 'connect', full);
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return new CalTimeoutError(`Cal.com did not answer in time (${where})`, 'headers', full);
  if (code === 'UND_ERR_BODY_TIMEOUT') return new CalTimeoutError(`Cal.com's answer stalled (${where})`, 'body', full);
  const reason = error instanceof Error ? error.message : String(error);
  return new CalNetworkError(`could not reach Cal.com (${where}): ${reason}`, full);
}
