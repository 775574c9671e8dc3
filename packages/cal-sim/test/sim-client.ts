import { apiVersions } from '../src/server/api-version.ts';
import type { CalSim } from '../src/start-cal-sim.ts';

/** Test helper: GET `path` from the simulator with the right key and version (override either with `headers`). */
export async function simGet(
  sim: CalSim,
  path: string,
  headers: Record<string, string | undefined> = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read bodies loosely
): Promise<{ status: number; headers: Headers; body: any }> {
  const family = path.startsWith('/v2/slots')
    ? 'slots'
    : path.startsWith('/v2/event-types')
      ? 'eventTypes'
      : 'bookings';
  const merged: Record<string, string | undefined> = {
    authorization: `Bearer ${sim.apiKey}`,
    'cal-api-version': apiVersions[family],
    ...headers,
  };
  const sent = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => !!entry[1]));
  const response = await fetch(`${sim.url}${path}`, { headers: sent });
  return { status: response.status, headers: response.headers, body: await response.json() };
}
