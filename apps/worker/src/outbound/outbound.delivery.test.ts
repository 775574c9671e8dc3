import { createDb } from '@calsync/db';
import { outboundDeliveriesTotal, outboundOldestPending } from '@calsync/service-kit';
import { openCountingRelay, useTestEnv, waitUntil } from '@calsync/test-support';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bookingStory,
  changeIdsByBooking,
  manualClock,
  type Receiver,
  startReceiver,
} from '../../test/outbound-harness.ts';
import { claimDue } from './claim.ts';
import { type Dispatcher, startDispatcher } from './dispatcher.ts';
import { createEndpoint, rotateEndpointSecret } from './endpoints.ts';
import { fanOut } from './fan-out.ts';
import { recordTries } from './record.ts';

const env = useTestEnv();
const log = pino({ level: 'silent' });
const open: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
  await env.sql`delete from outbound_endpoints`;
});

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  open.push(started);
  return started;
}

async function dispatcher(options: Partial<Parameters<typeof startDispatcher>[0]> = {}): Promise<Dispatcher> {
  const started = await startDispatcher({
    db: env.db,
    log,
    allowPrivate: true,
    pollMs: 50,
    timeoutMs: 300,
    ...options,
  });
  open.push(started);
  return started;
}

const countSending = async () =>
  (await env.sql<{ n: number }[]>`select count(*)::int as n from outbound_deliveries where status = 'sending'`)[0]!.n;

describe('outbound webhooks', () => {
  it('a receiver that fails, times out and recovers gets every Change, in order per booking, each signature valid', async () => {
    const target = await receiver();
    // The first try answers 500, the second never answers; every later one succeeds.
    target.behave = (n) => (n === 1 ? 'error' : n === 2 ? 'hang' : 'ok');
    const endpoint = await createEndpoint(env.db, { url: target.url, types: [] });
    const clock = manualClock();
    const running = await dispatcher({ now: clock.now });
    for (const uid of ['bk-a', 'bk-b', 'bk-c']) await bookingStory(env, uid);
    const expected = await changeIdsByBooking(env);

    const deliveredIds = () =>
      new Set(target.received.filter((r) => r.answer === 'ok').map((r) => JSON.parse(r.body).id));
    await waitUntil('every Change delivered', async () => {
      if ([...expected.values()].flat().every((id) => deliveredIds().has(id))) return true;
      // Retries wait minutes on the clock: move it only while nothing is in flight, so no lease runs out under a send.
      if ((await countSending()) === 0) {
        clock.advance(6 * 60_000);
        running.wake();
      }
      return false;
    });

    const verifier = new Webhook(endpoint.secret);
    const seen = new Map<string, string[]>();
    for (const message of target.received) {
      const change = verifier.verify(message.body, message.headers) as { id: string; booking: { uid: string } };
      seen.set(change.booking.uid, [...(seen.get(change.booking.uid) ?? []), change.id]);
    }
    for (const [uid, ids] of expected) {
      // Once or more, never one overtaking an earlier one: the arrivals, repeats folded, are the feed's order.
      const arrivals = seen.get(uid) ?? [];
      expect(
        arrivals.filter((id, i) => id !== arrivals[i - 1]),
        uid,
      ).toEqual(ids);
    }
    expect(target.received.filter((r) => r.answer !== 'ok')).toHaveLength(2);
    const [first] = await env.sql<{ body: unknown }[]>`
      select jsonb_build_object('id', id::text, 'type', type, 'occurred_at', calsync_iso(occurred_at),
        'booking', subject, 'changed', changed) as body from cal_changes order by id limit 1`;
    expect(target.received.map((r) => JSON.parse(r.body))).toContainEqual(first!.body);
    const tries = await env.sql`select status_code, error from outbound_attempts where error is not null order by id`;
    expect(tries).toHaveLength(2);
    expect(tries[0]).toMatchObject({ status_code: 500, error: 'answered 500' });
    expect(tries[1]).toMatchObject({ status_code: null, error: expect.stringMatching(/no response within/) });
    const counted = (outcome: string) =>
      outboundDeliveriesTotal
        .get()
        .then((m) => m.values.find((v) => v.labels.endpoint === endpoint.id && v.labels.outcome === outcome)?.value);
    await waitUntil('every try counted', async () => (await counted('delivered')) === 9);
    expect(await counted('retry')).toBe(2);
  });

  it('sends only the chosen types, and a Change written before the endpoint existed not at all', async () => {
    const target = await receiver();
    await bookingStory(env, 'before');
    await createEndpoint(env.db, { url: target.url, types: ['booking.cancelled'] });
    await dispatcher();
    await bookingStory(env, 'after');
    await waitUntil('the cancellation', () => target.received.length === 1);
    await bookingStory(env, 'later');
    await waitUntil('the next one', () => target.received.length === 2);
    expect(target.received.map((r) => JSON.parse(r.body).type)).toEqual(['booking.cancelled', 'booking.cancelled']);
    expect(target.received.map((r) => JSON.parse(r.body).booking.uid)).toEqual(['after', 'later']);
  });

  it('after a rotation both secrets verify for 24 hours, then only the new one', async () => {
    const target = await receiver();
    const endpoint = await createEndpoint(env.db, { url: target.url, types: [] });
    const clock = manualClock();
    const rotated = await rotateEndpointSecret(env.db, endpoint.id, clock.now());
    const running = await dispatcher({ now: clock.now });
    await env.sql`insert into cal_bookings (cal_uid, status) values ('rotation-during', 'scheduled')`;
    await waitUntil('the message during the overlap', () => target.received.length === 1);
    const during = target.received[0]!;
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(endpoint.secret).verify(during.body, during.headers)).not.toThrow();
    expect(() => new Webhook(rotated!.secret).verify(during.body, during.headers)).not.toThrow();

    clock.advance(24 * 3_600_000 + 1_000);
    await env.sql`insert into cal_bookings (cal_uid, status) values ('rotation-after', 'scheduled')`;
    running.wake();
    await waitUntil('the message after the overlap', () => target.received.length === 2);
    const after = target.received[1]!;
    expect(() => new Webhook(rotated!.secret).verify(after.body, after.headers)).not.toThrow();
    expect(() => new Webhook(endpoint.secret).verify(after.body, after.headers)).toThrow();
  });

  it('never sends to a loopback address without OUTBOUND_ALLOW_PRIVATE, by IP or by name', async () => {
    const target = await receiver();
    await createEndpoint(env.db, { url: target.url, types: [] });
    await createEndpoint(env.db, { url: target.url.replace('127.0.0.1', 'localhost'), types: [] });
    await dispatcher({ allowPrivate: false });
    await env.sql`insert into cal_bookings (cal_uid, status) values ('private', 'scheduled')`;
    await waitUntil('both refusals recorded', async () => {
      const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from outbound_attempts`;
      return row!.n === 2;
    });
    const errors = await env.sql<{ error: string }[]>`select error from outbound_attempts`;
    for (const { error } of errors) expect(error).toMatch(/private or loopback address/);
    expect(target.received).toHaveLength(0);
  });

  it('pauses an endpoint that failed for 5 days without one success, and sends it nothing more', async () => {
    const target = await receiver();
    target.behave = () => 'error';
    const endpoint = await createEndpoint(env.db, { url: target.url, types: [] });
    const clock = manualClock();
    const running = await dispatcher({ now: clock.now });
    await env.sql`insert into cal_bookings (cal_uid, status) values ('fail-1', 'scheduled')`;
    await waitUntil('the first failure recorded', async () => {
      const [row] = await env.sql`select failing_since from outbound_endpoints where id = ${endpoint.id}`;
      return row!.failing_since !== null;
    });
    clock.advance(5 * 24 * 3_600_000);
    await env.sql`insert into cal_bookings (cal_uid, status) values ('fail-2', 'scheduled')`;
    running.wake();
    await waitUntil('the endpoint paused', async () => {
      const [row] = await env.sql<
        { status: string }[]
      >`select status from outbound_endpoints where id = ${endpoint.id}`;
      return row!.status === 'paused';
    });
    const [paused] = await env.sql`select paused_reason from outbound_endpoints where id = ${endpoint.id}`;
    expect(paused!.paused_reason).toMatch(/^failing since \d{4}-.*without one success$/);
    const sent = target.received.length;
    await env.sql`insert into cal_bookings (cal_uid, status) values ('fail-3', 'scheduled')`;
    await waitUntil('the Change queued for later', async () => {
      const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from outbound_deliveries d
        join cal_changes c on c.id = d.change_id where c.booking_uid = 'fail-3'`;
      return row!.n === 1;
    });
    clock.advance(24 * 3_600_000);
    running.wake();
    await waitUntil('a quiet round', async () => (await countSending()) === 0);
    // The queued Change has waited a day on the clock: the backlog gauge says so.
    await waitUntil(
      'the backlog measured',
      async () => ((await outboundOldestPending.get()).values[0]?.value ?? 0) > 86_000,
    );
    expect(target.received.length).toBe(sent);
  });

  it('two dispatchers never send one delivery twice', async () => {
    const target = await receiver();
    await createEndpoint(env.db, { url: target.url, types: [] });
    await dispatcher();
    await dispatcher();
    for (let i = 0; i < 40; i++)
      await env.sql`insert into cal_bookings (cal_uid, status) values (${`many-${i}`}, 'scheduled')`;
    await waitUntil('40 messages', () => target.received.length >= 40);
    await waitUntil('all recorded delivered', async () => {
      const [row] = await env.sql<
        { n: number }[]
      >`select count(*)::int as n from outbound_deliveries where status = 'delivered'`;
      return row!.n === 40;
    });
    const ids = target.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("takes over a dead sender's delivery once its lease ran out, and the dead claim cannot record over it", async () => {
    const target = await receiver();
    await createEndpoint(env.db, { url: target.url, types: [] });
    await env.sql`insert into cal_bookings (cal_uid, status) values ('orphan', 'scheduled')`;
    const clock = manualClock();
    // A sender that claimed the delivery, then died before sending it.
    await fanOut(env.db, clock.now());
    const [orphaned] = await claimDue(env.db, clock.now(), 10, 60_000);
    expect(orphaned).toBeDefined();
    const running = await dispatcher({ now: clock.now });
    running.wake();
    await waitUntil('a round while the lease holds', async () => (await countSending()) === 1);
    expect(target.received).toHaveLength(0);
    clock.advance(61_000);
    running.wake();
    await waitUntil('the delivery sent by the survivor', () => target.received.length === 1);
    await waitUntil('recorded delivered', async () => {
      const [row] = await env.sql`select status, attempts from outbound_deliveries where id = ${orphaned!.id}`;
      return row!.status === 'delivered' && row!.attempts === 2;
    });
    const late = {
      delivery: orphaned!,
      result: { statusCode: 500, error: 'answered 500' },
      startedAt: clock.now(),
      durationMs: 1,
    };
    expect(await recordTries(env.db, [late], clock.now(), 5 * 86_400_000)).toEqual(['superseded']);
    const [row] = await env.sql`select status from outbound_deliveries where id = ${orphaned!.id}`;
    expect(row!.status).toBe('delivered');
  });

  it('costs no statement per committed Change while there is no endpoint, and still serves one added later', async () => {
    // The dispatcher's own connections go through a relay that counts the statements it sends.
    const relay = await openCountingRelay(env.databaseUrl);
    const counted = createDb(relay.url, { max: 2 });
    open.push({
      close: async () => {
        await counted.client.end({ timeout: 1 });
        relay.close();
      },
    });
    await dispatcher({ db: counted.db, pollMs: 60_000 });
    await waitUntil('the first round', () => relay.counter.writes > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    relay.counter.writes = 0;
    for (const uid of ['quiet-a', 'quiet-b', 'quiet-c', 'quiet-d']) await bookingStory(env, uid);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(relay.counter.writes).toBe(0);

    // A new endpoint is found by the next poll (here a call of wake) and gets what is written after it.
    const target = await receiver();
    const running = await dispatcher({ pollMs: 60_000 });
    await createEndpoint(env.db, { url: target.url, types: [] });
    running.wake();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await bookingStory(env, 'quiet-after');
    await waitUntil('the Changes written after the endpoint', () =>
      target.received.some((r) => JSON.parse(r.body).booking.uid === 'quiet-after'),
    );
    expect(target.received.map((r) => JSON.parse(r.body).booking.uid)).not.toContain('quiet-a');
  });
});
