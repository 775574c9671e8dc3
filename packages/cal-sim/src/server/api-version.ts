import type { FastifyRequest } from 'fastify';
import { V2BadRequest } from './v2-errors.ts';

/** The `cal-api-version` each endpoint family needs (calcom-facts.md). */
export const apiVersions = {
  bookings: '2024-08-13',
  eventTypes: '2024-06-14',
  slots: '2024-09-04',
} as const;

/**
 * The real server silently falls back to an old version (and old shapes) when the header is missing or wrong;
 * the simulator answers 400 instead, so a client that forgets the header fails its tests loudly.
 */
export function requireApiVersion(request: FastifyRequest, family: keyof typeof apiVersions): void {
  const expected = apiVersions[family];
  const sent = request.headers['cal-api-version'];
  if (sent === expected) return;
  const got = sent === undefined ? 'none was sent' : `got "${String(sent)}"`;
  throw new V2BadRequest(`cal-api-version header must be "${expected}" for this endpoint (${got})`);
}
