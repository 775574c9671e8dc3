import { type CalWrites, createCalClient } from '@calsync/cal-client';
import { observeCalRequest } from '@calsync/service-kit';
import { boundedBudget, type CalAccess } from '../cal-access.ts';

export type CalWriter = CalWrites & { close(): Promise<void> };

/**
 * The Cal.com client for admin writes: the one shared budget (the sync's too) at interactive priority, so a write
 * never waits behind a sync page; the wait for a token is bounded because a person is waiting.
 */
export function createCalWriter(access: CalAccess): CalWriter {
  return createCalClient({
    baseUrl: access.baseUrl,
    apiKey: access.apiKey,
    budget: boundedBudget(access),
    timeouts: { headersMs: 15_000, bodyMs: 15_000 },
    onRequest: observeCalRequest,
  });
}
