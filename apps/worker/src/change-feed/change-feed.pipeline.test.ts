import { type Delivery, lifecycle, sendDelivery } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesSince, feedMark, typesByBooking } from '../../test/feed-reader.ts';
import { deliverAndWait, startPipeline, TEST_SECRET, waitForEvents } from '../../test/pipeline-harness.ts';

// Webhook deliveries through the real pipeline (HTTP ingest, queue, worker) and the Changes they leave behind.

const env = useTestEnv();
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
beforeAll(async () => {
  pipeline = await startPipeline(env);
});
afterAll(async () => await pipeline?.close());

const deliver = (deliveries: Delivery[]) => deliverAndWait(env, pipeline.url, deliveries);

/**
 * One delivery at a time, each applied before the next is sent. Deliveries the worker happens to apply in one batch
 * reach the row in one transaction, which writes one Change for the net result: a story told step by step has to wait.
 */
async function deliverInTurn(deliveries: Delivery[]) {
  for (const delivery of deliveries) await deliver([delivery]);
}

describe('webhook deliveries write the change feed', () => {
  it('a booking made then cancelled: created, then cancelled with the status change', async () => {
    const mark = await feedMark(env);
    const [created, cancelled] = lifecycle('cancel', { seed: 101 });
    await deliverInTurn([created!, cancelled!]);
    const changes = await changesSince(env, mark);
    expect(changes.map((c) => c.type)).toEqual(['booking.created', 'booking.cancelled']);
    expect(changes[0]!.subject).toMatchObject({
      uid: created!.uid,
      cal_booking_id: String(created!.booking!.id),
      status: 'scheduled',
      title: created!.booking!.title,
      attendee_email: created!.booking!.attendee.email,
      start_time: new Date(created!.booking!.start).toISOString(),
    });
    expect(changes[1]!.changed).toMatchObject({ status: { from: 'scheduled', to: 'cancelled' } });
  });

  it('a reschedule: the new booking is created and the old half becomes booking.rescheduled', async () => {
    const mark = await feedMark(env);
    const [created, rescheduled] = lifecycle('reschedule', { seed: 102 });
    await deliverInTurn([created!, rescheduled!]);
    expect(await typesByBooking(env, mark)).toEqual({
      [created!.uid!]: ['booking.created', 'booking.rescheduled'],
      [rescheduled!.uid!]: ['booking.created'],
    });
    const old = (await changesSince(env, mark)).find((c) => c.type === 'booking.rescheduled')!;
    expect(old.changed).toMatchObject({
      status: { from: 'scheduled', to: 'rescheduled' },
      rescheduled_to_uid: { from: null, to: rescheduled!.uid },
    });
  });

  it('a request then its confirmation: created as pending, then updated to scheduled', async () => {
    const mark = await feedMark(env);
    await deliverInTurn(lifecycle('request-confirm', { seed: 103 }));
    const changes = await changesSince(env, mark);
    expect(changes.map((c) => c.type)).toEqual(['booking.created', 'booking.updated']);
    expect(changes[1]!.changed).toEqual({ status: { from: 'pending', to: 'scheduled' } });
  });

  it('an attendee marked absent: booking.no_show', async () => {
    const mark = await feedMark(env);
    await deliverInTurn(lifecycle('no-show', { seed: 104 }));
    const changes = await changesSince(env, mark);
    expect(changes.map((c) => c.type)).toEqual(['booking.created', 'booking.no_show']);
    expect(changes[1]!.changed).toHaveProperty('absent_attendees');
  });

  it('deliveries sent back to back: however the worker batches them, the last Change shows the final state', async () => {
    const mark = await feedMark(env);
    const [created, cancelled] = lifecycle('cancel', { seed: 107 });
    await deliver([created!, cancelled!]);
    const changes = await changesSince(env, mark);
    expect(changes[0]!.type).toBe('booking.created');
    expect(changes.at(-1)!.subject).toMatchObject({ uid: created!.uid, status: 'cancelled' });
  });

  it('a duplicate delivery writes no Change', async () => {
    const [created] = lifecycle('book', { seed: 105 });
    await deliver([created!]);
    const mark = await feedMark(env);
    // Cal.com can send the same body twice; the copy is acknowledged and applies nothing new.
    const again = await sendDelivery(pipeline.url, created!, TEST_SECRET);
    expect(again.status).toBe(202);
    await waitForEvents(env, [JSON.parse(again.body).id]);
    expect(await changesSince(env, mark)).toEqual([]);
  });

  it('a stale delivery (older than what the row holds) writes no Change', async () => {
    const [created, cancelled] = lifecycle('cancel', { seed: 106 });
    await deliver([cancelled!]);
    const mark = await feedMark(env);
    await deliver([created!]);
    expect(await changesSince(env, mark)).toEqual([]);
  });
});
