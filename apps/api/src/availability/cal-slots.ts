import {
  BudgetExhaustedError,
  CalApiError,
  CalAuthError,
  CalBadRequestError,
  CalNotFoundError,
  CalRateLimitedError,
  createCalClient,
} from '@calsync/cal-client';
import { HttpError, observeCalRequest } from '@calsync/service-kit';
import { boundedBudget, type CalAccess } from '../cal-access.ts';
import type { TimeRange } from './free-ranges.ts';

export interface SlotsRequest {
  eventTypeId: string;
  /** `YYYY-MM-DD` or an ISO instant, as the client gave it. */
  start: string;
  end: string;
  timeZone?: string;
}

/** Cal.com's free ranges per day (`/v2/slots?format=range`), fetched at interactive priority. */
export interface SlotsSource {
  getSlots(request: SlotsRequest): Promise<Record<string, TimeRange[]>>;
  close(): Promise<void>;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** What a Cal.com failure means to the person waiting for availability. */
export function slotsError(error: unknown): unknown {
  if (error instanceof BudgetExhaustedError || error instanceof CalRateLimitedError) {
    return new HttpError('cal_api_rate_limited', 'Cal.com request budget exhausted: try again later', {
      cause: error,
      details: { retry_after: seconds(error.retryAfterMs) },
    });
  }
  if (error instanceof CalNotFoundError) {
    return new HttpError('not_found', 'Cal.com knows no such event type', { cause: error });
  }
  if (error instanceof CalBadRequestError) {
    return new HttpError('invalid_request', 'Cal.com refused these availability parameters', { cause: error });
  }
  if (error instanceof CalAuthError) {
    return new HttpError('upstream_error', 'Cal.com refused the API key (check CAL_API_KEY)', { cause: error });
  }
  if (error instanceof CalApiError) {
    return new HttpError('upstream_error', 'Cal.com did not answer usefully; try again shortly', { cause: error });
  }
  return error;
}

export function createSlotsSource(access: CalAccess): SlotsSource {
  const client = createCalClient({
    baseUrl: access.baseUrl,
    apiKey: access.apiKey,
    budget: boundedBudget(access),
    retry: { attempts: 2 },
    timeouts: { headersMs: 10_000, bodyMs: 10_000 },
    onRequest: observeCalRequest, // Cal.com request metrics
  });
  return {
    async getSlots(request) {
      try {
        return await client.getSlots(
          {
            eventTypeId: Number(request.eventTypeId),
            start: request.start,
            end: request.end,
            timeZone: request.timeZone,
          },
          { priority: 'interactive' },
        );
      } catch (error) {
        throw slotsError(error);
      }
    },
    close: () => client.close(),
  };
}
