import type { Database } from '@calsync/db';
import { HttpError } from '@calsync/service-kit';
import { outbound } from '@calsync/worker';

// What the admin API and the dashboard page both do, with their errors as HttpErrors.

/** Adds an endpoint from `{url, types?}`; a bad field is a 400 naming it. Returns it with its secret (shown once). */
export async function addEndpoint(db: Database, body: unknown, allowPrivate: boolean) {
  let input: { url: string; types: string[] };
  try {
    input = await outbound.parseEndpointInput(body, allowPrivate);
  } catch (error) {
    if (error instanceof outbound.EndpointInputError) throw new HttpError('invalid_request', error.message);
    throw error;
  }
  return await outbound.createEndpoint(db, input);
}

export async function requireEndpoint(db: Database, id: string) {
  const endpoint = await outbound.getEndpoint(db, id);
  if (!endpoint) throw new HttpError('not_found', `no endpoint ${id}`);
  return endpoint;
}

/** Queues a failed delivery again: 404 when unknown, 409 unless it is failed. */
export async function retry(db: Database, endpointId: string, deliveryId: string) {
  const result = await outbound.retryDelivery(db, endpointId, deliveryId);
  if (result === 'not_found') throw new HttpError('not_found', `no delivery ${deliveryId} for endpoint ${endpointId}`);
  if (result === 'not_failed') {
    throw new HttpError(
      'conflict',
      'only a failed delivery can be retried (this one is pending, sending or delivered)',
    );
  }
  return { id: deliveryId, status: 'pending' as const };
}
