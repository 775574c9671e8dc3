import { randomUUID } from 'node:crypto';
import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type CalClient, createCalClient } from './client.ts';
import { CalBadRequestError, CalNotFoundError } from './errors.ts';
import type { CalPriority } from './rate-budget.ts';
import { createRateBudget } from './rate-budget.ts';

const env = useTestEnv();
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ sim: CalSim; client: CalClient; priorities: CalPriority[] }> {
  const sim = await startCalSim({ bookings: 5 });
  cleanups.push(() => sim.close());
  const budget = createRateBudget({
    redis: env.redis,
    keyPrefix: `${env.redisPrefix}:cal-budget:${randomUUID()}`,
    limitPerMinute: 100,
  });
  const priorities: CalPriority[] = [];
  const client = createCalClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    budget: {
      ...budget,
      acquire: (options) => {
        priorities.push(options.priority);
        return budget.acquire(options);
      },
    },
  });
  cleanups.push(() => client.close());
  return { sim, client, priorities };
}

function entries(sim: CalSim) {
  return sim.log.entries.map((e) => `${e.method} ${e.path} ${e.apiVersion}`);
}

describe('Cal.com client writes', () => {
  it('confirms a pending booking with one POST at interactive priority and parses the booking Cal.com answers', async () => {
    const { sim, client, priorities } = await setup();
    const pending = sim.store.createBooking({ status: 'pending' });

    const booking = await client.confirmBooking(pending.uid);

    expect(booking.status).toBe('accepted');
    expect(entries(sim)).toEqual([`POST /v2/bookings/${pending.uid}/confirm 2024-08-13`]);
    expect(priorities).toEqual(['interactive']);
    expect(sim.store.outbox.map((d) => d.triggerEvent)).toEqual(['BOOKING_CREATED']);
  });

  it('sends the decline reason, the cancellation reason and the absent attendees in the bodies Cal.com reads', async () => {
    const { sim, client } = await setup();
    const pending = sim.store.createBooking({ status: 'pending' });
    const upcoming = sim.store.createBooking();
    const past = sim.store.createBooking({
      start: new Date(Date.now() - 7_200_000).toISOString(),
      end: new Date(Date.now() - 3_600_000).toISOString(),
    });

    expect((await client.declineBooking(pending.uid, { reason: 'Fully booked' })).status).toBe('rejected');
    expect(sim.store.booking(pending.uid)?.rejectionReason).toBe('Fully booked');
    const cancelled = await client.cancelBooking(upcoming.uid, { cancellationReason: 'Travelling' });
    expect([cancelled.status, cancelled.cancellationReason]).toEqual(['cancelled', 'Travelling']);
    const marked = await client.markAbsent(past.uid, { attendees: [{ email: past.attendee.email, absent: true }] });
    expect(marked.attendees[0]?.absent).toBe(true);
    expect(sim.store.outbox.map((d) => d.triggerEvent)).toEqual([
      'BOOKING_REJECTED',
      'BOOKING_CANCELLED',
      'BOOKING_NO_SHOW_UPDATED',
    ]);
  });

  it('updates an event type with PATCH and cal-api-version 2024-06-14', async () => {
    const { sim, client } = await setup();
    const [first] = sim.store.eventTypes();

    const updated = await client.updateEventType(first!.id, { title: 'Deep dive', lengthInMinutes: 50, hidden: true });

    expect([updated.title, updated.lengthInMinutes, updated.hidden]).toEqual(['Deep dive', 50, true]);
    expect(entries(sim)).toEqual([`PATCH /v2/event-types/${first!.id} 2024-06-14`]);
  });

  it("keeps Cal.com's error code when it refuses, and never retries a write", async () => {
    const { sim, client } = await setup();
    const accepted = sim.store.createBooking();

    const refusal = await client.confirmBooking(accepted.uid).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CalBadRequestError);
    expect((refusal as CalBadRequestError).calCode).toBe('TRPCError');
    expect((refusal as CalBadRequestError).calMessage).toMatch(/^Bad request/);
    await expect(client.cancelBooking('no-such-uid')).rejects.toBeInstanceOf(CalNotFoundError);
    expect(sim.log.count()).toBe(2);
  });

  it('names a bad field before any request', async () => {
    const { sim, client } = await setup();
    await expect(client.updateEventType(1, { lengthInMinutes: 0 })).rejects.toThrow(/lengthInMinutes/);
    await expect(client.updateEventType(1, {})).rejects.toThrow(/give title/);
    await expect(client.markAbsent('x', { attendees: [{ email: 'nobody', absent: true }] })).rejects.toThrow(
      /attendees\[0\]\.email/,
    );
    expect(sim.log.count()).toBe(0);
  });
});
