import type { AddressInfo } from 'node:net';
import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import { createClient, FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, insertBooking, mirrorEventTypes } from '../test/app.ts';
import {
  anonKeyClaims,
  hs256,
  type JwksServer,
  type SigningKey,
  signingKey,
  signWith,
  startJwksServer,
  TEST_SUPABASE_SECRET,
  userClaims,
} from '../test/supabase.ts';

// The original frontend's own client, supabase-js, pointed at calsync instead of the edge functions.

const env = useTestEnv();
let sim: CalSim;
let jwks: JwksServer;
let es256: SigningKey;
let app: FastifyInstance;
let calsyncUrl: string;
let anonKey: string;
let eventTypeId: number;

beforeAll(async () => {
  sim = await startCalSim({ bookings: 0, eventTypes: 2 });
  es256 = await signingKey('ES256', 'es-client-key');
  jwks = await startJwksServer([es256]);
  const [active, retired] = sim.store.eventTypes();
  eventTypeId = active!.id;
  await mirrorEventTypes(env, [active!.id]);
  await mirrorEventTypes(env, [retired!.id], { active: false });
  await insertBooking(env, { attendee_name: 'Ada Lovelace' });
  app = await buildTestApi(env, {
    CAL_API_URL: sim.url,
    CAL_API_KEY: sim.apiKey,
    SUPABASE_JWT_SECRET: TEST_SUPABASE_SECRET,
    SUPABASE_URL: jwks.url,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  calsyncUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  anonKey = await hs256(anonKeyClaims());
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  await jwks?.close();
});

/** A frontend's client: the anon key, and the signed-in user's access token when there is one. */
function supabase(accessToken?: string): SupabaseClient {
  return createClient(calsyncUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    ...(accessToken === undefined ? {} : { global: { headers: { Authorization: `Bearer ${accessToken}` } } }),
  });
}

/** The status and error message of a refused invoke, read as the frontend would. */
async function refusal(error: unknown): Promise<{ status: number; message: string }> {
  expect(error).toBeInstanceOf(FunctionsHttpError);
  const response = (error as FunctionsHttpError).context as Response;
  const body = (await response.json()) as { error: { message: string } };
  return { status: response.status, message: body.error.message };
}

// A far-future week, so that every slot is still ahead.
const week = { dateFrom: '2031-03-03', dateTo: '2031-03-07', timeZone: 'UTC' };

describe('supabase.functions.invoke with the anon key', () => {
  it('lists the active event types only', async () => {
    const { data, error } = await supabase().functions.invoke('cal-event-types');
    expect(error).toBeNull();
    expect(data.event_types.map((e: { cal_event_type_id: string }) => e.cal_event_type_id)).toEqual([
      String(eventTypeId),
    ]);
  });

  it('asks for availability with a JSON body, and by GET with the query in the function name', async () => {
    const byBody = await supabase().functions.invoke('cal-availability', { body: { eventTypeId, ...week } });
    expect(byBody.error).toBeNull();
    expect(Object.keys(byBody.data.slots)).toHaveLength(5);
    const query = new URLSearchParams({ eventTypeId: String(eventTypeId), ...week });
    const byGet = await supabase().functions.invoke(`cal-availability?${query}`, { method: 'GET' });
    expect(byGet.error).toBeNull();
    expect(byGet.data).toEqual(byBody.data);
  });

  it('is refused the bookings with 403: the anon key is a public caller, not an admin', async () => {
    const { error } = await supabase().functions.invoke('cal-bookings');
    expect(await refusal(error)).toMatchObject({ status: 403 });
  });
});

describe('supabase.functions.invoke as a signed-in admin', () => {
  it('lists the bookings with an HS256 token in global.headers', async () => {
    const token = await hs256(userClaims({ appRole: 'admin' }));
    const { data, error } = await supabase(token).functions.invoke('cal-bookings', { body: { limit: 5 } });
    expect(error).toBeNull();
    expect(data.bookings.map((b: { attendee_name: string }) => b.attendee_name)).toEqual(['Ada Lovelace']);
  });

  it('lists the bookings with an ES256 token (the project JWKS) given by functions.setAuth', async () => {
    const functions = supabase().functions;
    functions.setAuth(await signWith(es256, userClaims({ appRole: 'admin' })));
    const { data, error } = await functions.invoke('cal-bookings', { method: 'GET' });
    expect(error).toBeNull();
    expect(data.bookings).toHaveLength(1);
    const all = await functions.invoke('cal-event-types');
    expect(all.data.event_types).toHaveLength(2);
  });

  it('fails cleanly with 401 and the reason for an expired token and a forged one', async () => {
    const expired = await hs256(userClaims({ appRole: 'admin', expiresInS: -60 }));
    const forged = await hs256(userClaims({ appRole: 'admin' }), 'not-the-project-secret-0123456789abcdef');
    for (const [token, reason] of [
      [expired, /has expired/],
      [forged, /signature does not verify/],
    ] as const) {
      const { data, error } = await supabase(token).functions.invoke('cal-bookings');
      expect(data).toBeNull();
      const { status, message } = await refusal(error);
      expect(status).toBe(401);
      expect(message).toMatch(reason);
    }
  });
});
