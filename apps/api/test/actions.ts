import { calApiBookingSchema } from '@calsync/cal-client';
import { type CalSim, toV2Booking } from '@calsync/cal-sim';
import { transaction } from '@calsync/db';
import type { TestEnv } from '@calsync/test-support';
import { apiBookingToWrite, upsertBookings, writeAttendees } from '@calsync/worker';
import type { FastifyInstance } from 'fastify';
import { adminHeaders } from './app.ts';

/** Puts the simulator's booking into the mirror as a sync would (through the worker's mapping). */
export async function mirrorSimBooking(env: TestEnv, sim: CalSim, uid: string): Promise<void> {
  const booking = calApiBookingSchema.parse(toV2Booking(sim.store.requireBooking(uid)));
  const write = apiBookingToWrite(booking, new Date());
  await transaction(env.db, async (tx) => {
    await upsertBookings(tx, [write.upsert]);
    await writeAttendees(tx, [write.attendees]);
  });
}

/** Puts the simulator's event types into the mirror (just the key columns the actions look at). */
export async function mirrorSimEventTypes(env: TestEnv, sim: CalSim): Promise<void> {
  for (const eventType of sim.store.eventTypes()) {
    await env.sql`insert into cal_event_types (cal_event_type_id, slug, title, length, active, hidden)
      values (${String(eventType.id)}, ${eventType.slug}, ${eventType.title}, ${eventType.lengthInMinutes},
        ${!eventType.hidden}, ${eventType.hidden})
      on conflict (cal_event_type_id) do nothing`;
  }
}

/** POSTs a JSON body to a function as `supabase.functions.invoke` does, as the admin. */
export function invoke(
  app: FastifyInstance,
  name: 'cal-bookings' | 'cal-event-types',
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: `/functions/v1/${name}`,
    headers: { ...adminHeaders, ...headers },
    payload: body,
  });
}

/** The simulator's write requests (reads by the test itself do not go through the API). */
export function calWrites(sim: CalSim): string[] {
  return sim.log.entries.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path}`);
}

export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
