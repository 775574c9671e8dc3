/** Thrown for an unknown uid, event type, team or seat (the admin surface answers 404). */
export class SimNotFoundError extends Error {
  override name = 'SimNotFoundError';
}

/** A change the account's current state does not allow, e.g. a full seated slot (the admin surface answers 409). */
export class SimConflictError extends Error {
  override name = 'SimConflictError';
}
