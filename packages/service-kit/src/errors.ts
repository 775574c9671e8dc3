/** Every error code calsync answers with, and its HTTP status. One envelope: `{ error: { code, message } }`. */
export const errorStatus = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_envelope: 400,
  unauthorized: 401,
  missing_signature: 401,
  invalid_signature: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  service_unavailable: 503,
  not_ready: 503,
  webhook_secret_not_configured: 503,
  admin_not_configured: 503,
  cal_api_not_configured: 503,
  /** The shared Cal.com request budget has no token for this request soon enough (body carries `retry_after`). */
  cal_api_rate_limited: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** An error meant for the client: its code and message are sent as they are. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** Extra fields sent next to code and message (e.g. `retry_after`). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.statusCode = errorStatus[code];
    this.details = options.details;
  }
}

export interface ErrorBody {
  error: { code: string; message: string; [extra: string]: unknown };
}

export function errorBody(code: ErrorCode | string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message, ...details } };
}
