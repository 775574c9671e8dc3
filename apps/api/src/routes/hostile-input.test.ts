import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi, insertBooking, mirrorEventTypes } from '../../test/app.ts';

const env = useTestEnv();
let sim: CalSim;
let app: FastifyInstance;
let eventTypeId: string;

beforeAll(async () => {
  sim = await startCalSim({ bookings: 0, eventTypes: 1 });
  eventTypeId = String(sim.store.eventTypes()[0]!.id);
  await mirrorEventTypes(env, [eventTypeId]);
  app = await buildTestApi(env, { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey });
  for (let i = 0; i < 5; i++) await insertBooking(env);
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

const nasty = [
  "' OR 1=1 --",
  '1; DROP TABLE cal_bookings; --',
  "x') union select * from pg_user --",
  "%' and pg_sleep(5) --",
  '\\',
  '%_%',
  '\u0000',
  'a\u0000b',
  '2031-02-30',
  '2031-13-01',
  '0000-01-01',
  '99999-01-01',
  '2031-01-01T25:00:00Z',
  '2031-01-01T10:00:00',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  '9007199254740993',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'sync',
  '',
  ' ',
  'x'.repeat(5_000),
];

/** What a query string can carry: strings, or arrays of them when a key repeats. */
const queryValue = fc.oneof(
  fc.constantFrom(...nasty),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...nasty.slice(0, 6)), { minLength: 2, maxLength: 3 }),
);
/** What a JSON body can carry. */
const bodyValue = fc.oneof(
  queryValue,
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e300, -0, 0.5),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

const functions = () => [
  {
    name: 'cal-bookings',
    headers: adminHeaders,
    base: () => ({}),
    params: ['action', 'status', 'from', 'to', 'event_type', 'q', 'limit', 'cursor'],
  },
  { name: 'cal-event-types', headers: adminHeaders, base: () => ({}), params: ['action'] },
  {
    name: 'cal-availability',
    headers: {},
    // Read when a test runs: the simulator's event type id is known only after beforeAll.
    base: () => ({ eventTypeId, dateFrom: '2031-05-05', dateTo: '2031-05-09' }),
    params: ['eventTypeId', 'dateFrom', 'dateTo', 'timeZone'],
  },
];

// A hostile value is refused with 400 naming nothing internal; a value that happens to be valid is answered
// normally (a well-formed event type id Cal.com does not know is its 404). Never a 5xx.
const acceptable = new Set([200, 202, 400, 404, 414]);

function expectHandled(answer: { statusCode: number; body: string }, what: string) {
  expect(acceptable.has(answer.statusCode), `${what} → ${answer.statusCode} ${answer.body.slice(0, 300)}`).toBe(true);
  if (answer.statusCode >= 400)
    expect(JSON.parse(answer.body).error.code).toMatch(/^(invalid_(request|json)|not_found|uri_too_long)$/);
}

function toSearch(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  return search.toString();
}

describe('hostile input', () => {
  for (const fn of functions()) {
    for (const param of fn.params) {
      it(`${fn.name} ${param}: only 400s (or a normal answer) by GET and POST`, async () => {
        await fc.assert(
          fc.asyncProperty(queryValue, bodyValue, async (inQuery, inBody) => {
            const get = await app.inject({
              url: `/${fn.name}?${toSearch({ ...fn.base(), [param]: inQuery })}`,
              headers: fn.headers,
            });
            expectHandled(get, `GET ${param}=${JSON.stringify(inQuery).slice(0, 80)}`);
            const post = await app.inject({
              method: 'POST',
              url: `/functions/v1/${fn.name}`,
              payload: { ...fn.base(), [param]: inBody },
              headers: fn.headers,
            });
            expectHandled(post, `POST ${param}=${JSON.stringify(inBody)?.slice(0, 80)}`);
          }),
          { numRuns: 40 },
        );
      });
    }

    it(`${fn.name}: unknown parameters are ignored; arrays and bad values are 400s naming the parameter`, async () => {
      const plain = await app.inject({ url: `/${fn.name}?${toSearch(fn.base())}`, headers: fn.headers });
      const unknown = await app.inject({
        url: `/${fn.name}?${toSearch({ ...fn.base(), _: '1700000000000', apikey: 'anon' })}`,
        headers: fn.headers,
      });
      expect(unknown.statusCode).toBe(plain.statusCode);
      expect(unknown.statusCode).toBeLessThan(500);
      const first = fn.params[0]!;
      const array = await app.inject({
        url: `/${fn.name}?${toSearch({ ...fn.base(), [first]: ['a', 'b'] })}`,
        headers: fn.headers,
      });
      expect(array.statusCode).toBe(400);
      expect(array.json().error).toMatchObject({ code: 'invalid_request', parameter: first });
      const notObject = await app.inject({
        method: 'POST',
        url: `/${fn.name}`,
        payload: '[1,2]',
        headers: { ...fn.headers, 'content-type': 'application/json' },
      });
      expect(notObject.statusCode).toBe(400);
      const notJson = await app.inject({
        method: 'POST',
        url: `/${fn.name}`,
        payload: '{"a":',
        headers: { ...fn.headers, 'content-type': 'application/json' },
      });
      expect(notJson.statusCode).toBe(400);
    });
  }

  it('cal-bookings/:uid: any uid is a 200, 404 or 400, never an error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...nasty), fc.string({ unit: 'binary', maxLength: 300 })),
        async (uid) => {
          const answer = await app.inject({ url: `/cal-bookings/${encodeURIComponent(uid)}`, headers: adminHeaders });
          expectHandled(answer, `uid=${JSON.stringify(uid).slice(0, 80)}`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses specific bad values with a message naming the parameter', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['cal-bookings', { limit: 501 }, 'limit'],
      ['cal-bookings', { limit: '1e3' }, 'limit'],
      ['cal-bookings', { status: 'ACCEPTED' }, 'status'],
      ['cal-bookings', { from: '2031-02-30' }, 'from'],
      ['cal-bookings', { q: 'a\u0000' }, 'q'],
      ['cal-availability', { eventTypeId: "1' OR 1=1", dateFrom: '2031-05-05', dateTo: '2031-05-06' }, 'eventTypeId'],
      ['cal-availability', { eventTypeId: 1e300, dateFrom: '2031-05-05', dateTo: '2031-05-06' }, 'eventTypeId'],
      ['cal-availability', { eventTypeId, dateFrom: 'tomorrow', dateTo: '2031-05-06' }, 'dateFrom'],
      [
        'cal-availability',
        { eventTypeId, dateFrom: '2031-05-05', dateTo: '2031-05-06', timeZone: 'Mars/Olympus' },
        'timeZone',
      ],
      ['cal-availability', { dateFrom: '2031-05-05', dateTo: '2031-05-06' }, 'eventTypeId'],
    ];
    for (const [name, payload, parameter] of cases) {
      const answer = await app.inject({ method: 'POST', url: `/${name}`, payload, headers: adminHeaders });
      expect([name, parameter, answer.statusCode]).toEqual([name, parameter, 400]);
      expect(answer.json().error.message.startsWith(`${parameter}:`)).toBe(true);
    }
    const missing = await app.inject({ url: '/cal-availability?eventTypeId=1&dateFrom=2031-05-05' });
    expect(missing.json().error.message).toMatch(/^dateTo: required/);
    const nulUid = await app.inject({ url: '/cal-bookings/a%00b', headers: adminHeaders });
    expect(nulUid.statusCode).toBe(400);
    const longUid = await app.inject({ url: `/cal-bookings/${'x'.repeat(500)}`, headers: adminHeaders });
    expect([longUid.statusCode, longUid.json().error.code]).toEqual([414, 'uri_too_long']);
    const badUrl = await app.inject({ url: '/cal-bookings/%E0%A4%A', headers: adminHeaders });
    expect([badUrl.statusCode, badUrl.json().error.code]).toEqual([400, 'invalid_request']);
  });
});
