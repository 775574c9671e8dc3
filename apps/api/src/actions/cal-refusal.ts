import { BudgetExhaustedError, CalApiError, CalRateLimitedError, CalSchemaError } from '@calsync/cal-client';
import type { AdminActionOutcome } from '@calsync/db';
import { HttpError } from '@calsync/service-kit';

/** What a failed Cal.com write means: the answer to send, and what the audit trail records (null: nothing was sent). */
export interface CalFailure {
  error: HttpError;
  audit: { outcome: AdminActionOutcome; calStatus?: number; calErrorCode?: string; calAnswer: unknown } | null;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * A Cal.com refusal becomes 502 `upstream_error` carrying Cal.com's code and message (`cal_code`, `cal_message`,
 * `cal_status`); a full budget becomes 503 with `retry_after`; anything else that is not Cal.com's is rethrown.
 */
export function calFailure(error: unknown, what: string): CalFailure {
  if (error instanceof BudgetExhaustedError) {
    return {
      error: new HttpError('cal_api_rate_limited', 'Cal.com request budget exhausted: try again later', {
        cause: error,
        details: { retry_after: seconds(error.retryAfterMs) },
      }),
      audit: null,
    };
  }
  if (!(error instanceof CalApiError)) throw error;
  const calMessage = error.calMessage ?? null;
  const details = {
    cal_status: error.status ?? null,
    cal_code: error.calCode ?? null,
    cal_message: calMessage,
    ...(error instanceof CalRateLimitedError ? { retry_after: seconds(error.retryAfterMs) } : {}),
  };
  const refused = error.status !== undefined && error.status < 500 && !(error instanceof CalSchemaError);
  const message = refused
    ? `Cal.com refused to ${what}: ${error.calCode ?? error.status}${calMessage ? `: ${calMessage}` : ''}`
    : `Cal.com did not answer usefully to ${what}; nothing was changed here (check Cal.com before trying again)`;
  return {
    error: new HttpError('upstream_error', message, { cause: error, details }),
    audit: {
      outcome: refused ? 'refused' : 'failed',
      ...(error.status !== undefined ? { calStatus: error.status } : {}),
      ...(error.calCode !== undefined ? { calErrorCode: error.calCode } : {}),
      calAnswer: { message: calMessage ?? error.message },
    },
  };
}
