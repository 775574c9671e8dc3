/** What every Cal.com client error tells its caller: whether a retry can help, the HTTP status, the request. */
export interface CalErrorContext {
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** The request, e.g. `GET /v2/bookings?take=250` (never the API key). */
  endpoint?: string;
  /** Cal.com's own error code from the error envelope (e.g. `ThrottlerException`). */
  calCode?: string;
  /** Cal.com's own message from the error envelope. */
  calMessage?: string;
  cause?: unknown;
}

/** Base of every error the Cal.com client throws. */
export class CalApiError extends Error {
  override name = 'CalApiError';
  readonly retryable: boolean = false;
  readonly status: number | undefined;
  readonly endpoint: string | undefined;
  readonly calCode: string | undefined;
  readonly calMessage: string | undefined;

  constructor(message: string, context: CalErrorContext = {}) {
    super(message, { cause: context.cause });
    this.status = context.status;
    this.endpoint = context.endpoint;
    this.calCode = context.calCode;
    this.calMessage = context.calMessage;
  }
}

/** 401/403: the API key is missing, wrong or lacks rights. Retrying cannot help. */
export class CalAuthError extends CalApiError {
  override name = 'CalAuthError';
}

/** 404: the booking (or other resource) does not exist upstream. */
export class CalNotFoundError extends CalApiError {
  override name = 'CalNotFoundError';
}

/** Other 4xx: the request itself is wrong. Retrying cannot help. */
export class CalBadRequestError extends CalApiError {
  override name = 'CalBadRequestError';
}

/**
 * 429: Cal.com throttled the key. Not retried inline: the shared budget is paused for `retryAfterMs`,
 * and the caller (e.g. a BullMQ job) should come back after that.
 */
export class CalRateLimitedError extends CalApiError {
  override name = 'CalRateLimitedError';
  override readonly retryable = true;
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, context: CalErrorContext = {}) {
    super(message, context);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The answer did not have the shape we rely on. `path` names the field; `rawBody` keeps what came. */
export class CalSchemaError extends CalApiError {
  override name = 'CalSchemaError';
  /** Field path of the first mismatch, e.g. `data[3].start`. */
  readonly path: string;
  readonly rawBody: string;

  constructor(message: string, path: string, rawBody: string, context: CalErrorContext = {}) {
    super(message, context);
    this.path = path;
    this.rawBody = rawBody;
  }
}

/** 5xx from Cal.com. Retryable. */
export class CalServerError extends CalApiError {
  override name = 'CalServerError';
  override readonly retryable = true;
}

/** The connection failed or broke (refused, reset, DNS). Retryable. */
export class CalNetworkError extends CalApiError {
  override name = 'CalNetworkError';
  override readonly retryable = true;
}

/** Connecting, waiting for headers or reading the body took too long. Retryable. */
export class CalTimeoutError extends CalApiError {
  override name = 'CalTimeoutError';
  override readonly retryable = true;
  readonly phase: 'connect' | 'headers' | 'body';

  constructor(message: string, phase: 'connect' | 'headers' | 'body', context: CalErrorContext = {}) {
    super(message, context);
    this.phase = phase;
  }
}

/** The shared rate budget had no token within the caller's `maxWaitMs`. */
export class BudgetExhaustedError extends Error {
  override name = 'BudgetExhaustedError';
  readonly retryable = true;
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}
