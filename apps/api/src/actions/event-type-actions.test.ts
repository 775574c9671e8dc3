import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calWrites, invoke, mirrorSimEventTypes } from '../../test/actions.ts';
import { buildTestApi } from '../../test/app.ts';

const env = useTestEnv();
let sim: CalSim;
let app: FastifyInstance;

beforeAll(async () => {
  sim = await startCalSim({ bookings: 1, eventTypes: 3 });
  app = await buildTestApi(env, { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey });
  await mirrorSimEventTypes(env, sim);
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});
beforeEach(() => sim.log.reset());

describe('POST /cal-event-types {"action":"update"}', () => {
  it('changes title, description and length in Cal.com and mirrors its answer, with an audit record', async () => {
    const [eventType] = sim.store.eventTypes();
    const id = String(eventType!.id);

    const answer = await invoke(app, 'cal-event-types', {
      action: 'update',
      id,
      title: 'Deep dive',
      description: 'Ninety minutes on one topic',
      length: '90',
    });

    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().event_type).toMatchObject({ cal_event_type_id: id, title: 'Deep dive', length: 90 });
    expect(sim.store.eventType(eventType!.id)).toMatchObject({ title: 'Deep dive', lengthInMinutes: 90 });
    expect(calWrites(sim)).toEqual([`PATCH /v2/event-types/${id}`]);
    const [audit] = await env.sql`select action, outcome, request from cal_admin_actions where target = ${id}`;
    expect(audit).toEqual({
      action: 'update-event-type',
      outcome: 'accepted',
      request: { title: 'Deep dive', description: 'Ninety minutes on one topic', length: 90 },
    });
  });

  it('hides and shows an event type: the public list follows', async () => {
    const [, second] = sim.store.eventTypes();
    const id = String(second!.id);
    const publicIds = async () =>
      (await app.inject({ url: '/cal-event-types' }))
        .json()
        .event_types.map((e: { cal_event_type_id: string }) => e.cal_event_type_id);

    expect((await invoke(app, 'cal-event-types', { action: 'update', id, hidden: true })).statusCode).toBe(200);
    expect(await publicIds()).not.toContain(id);
    expect((await invoke(app, 'cal-event-types', { action: 'update', id, hidden: false })).statusCode).toBe(200);
    expect(await publicIds()).toContain(id);
  });

  it('refuses a price (Cal.com would drop it silently), an empty change, a bad length, an unknown id', async () => {
    const id = String(sim.store.eventTypes()[0]!.id);
    const price = await invoke(app, 'cal-event-types', { action: 'update', id, price: 5000 });
    expect([price.statusCode, price.json().error.message]).toEqual([400, expect.stringMatching(/^price: .*no price/)]);
    const empty = await invoke(app, 'cal-event-types', { action: 'update', id });
    expect(empty.json().error.message).toMatch(/give at least one of title, description, length, hidden/);
    const length = await invoke(app, 'cal-event-types', { action: 'update', id, length: 0 });
    expect([length.statusCode, length.json().error.message]).toEqual([400, expect.stringMatching(/^length: /)]);
    const unknown = await invoke(app, 'cal-event-types', { action: 'update', id: '999999', title: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(calWrites(sim)).toEqual([]);
  });

  it('refuses a stranger before looking at the parameters', async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/cal-event-types',
      payload: { action: 'update', id: '1', price: 1 },
    });
    expect(answer.statusCode).toBe(401);
  });

  it("answers 502 with Cal.com's code when Cal.com no longer has the event type", async () => {
    const [, , third] = sim.store.eventTypes();
    sim.store.deleteEventType(third!.id);
    const answer = await invoke(app, 'cal-event-types', { action: 'update', id: String(third!.id), title: 'Gone' });
    expect(answer.statusCode).toBe(502);
    expect(answer.json().error).toMatchObject({ cal_code: 'NotFoundException', cal_status: 404 });
    const [row] = await env.sql`select title from cal_event_types where cal_event_type_id = ${String(third!.id)}`;
    expect(row?.title).toBe(third!.title);
  });
});
