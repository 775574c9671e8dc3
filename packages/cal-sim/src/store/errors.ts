/** Thrown for an unknown uid, event type, team or seat (the admin surface answers 404). */
export class SimNotFoundError extends Error {
  override name = 'SimNotFoundError';
}

/** A change the account's current state does not allow, e.g. a full seated slot (the admin surface answers 409). */
export class SimConflictError extends Error {
  override name = 'SimConflictError';
}

/**
 * A request Cal.com refuses with 400. `code` is what API v2 puts in `error.code`: `BadRequestException` from its
 * own checks, `TRPCError` (with a generic message) when the refusal comes from the shared tRPC handlers.
 */
export class SimBadRequestError extends Error {
  override name = 'SimBadRequestError';
  readonly code: 'BadRequestException' | 'TRPCError';

  constructor(message: string, code: 'BadRequestException' | 'TRPCError' = 'BadRequestException') {
    super(message);
    this.code = code;
  }
}
