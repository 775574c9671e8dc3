import { createHash, createHmac } from 'node:crypto';
import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { type OwnRedis, startOwnRedis, useTestEnv, waitUntil } from '@calsync/test-support';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type CalsyncProcess, startCalsync, TEST_SECRET } from './support/child-process.ts';
import { hostileValue, nested, toQuery } from './support/fuzz-values.ts';
import { report } from './support/outcome.ts';

const env = useTestEnv();
const RUNS = 300;

let redis: OwnRedis;
let sim: CalSim;
let server: CalsyncProcess;
const tally = { requests: 0, status4xx: 0, status2xx: 0, status5xx: 0 };
let visitor = 0;

beforeAll(async () => {
  [redis, sim] = await Promise.all([startOwnRedis(), startCalSim({ bookings: 50, rateLimit: 100_000 })]);
  server = await startCalsync('server', {
    databaseUrl: env.databaseUrl,
    redisUrl: redis.url,
    extraEnv: {
      CAL_API_URL: sim.url,
      CAL_API_KEY: sim.apiKey,
      CAL_API_RATE_LIMIT: '100000',
      LOG_LEVEL: 'warn',
      // The fuzzer stands in for a proxy on 127.0.0.1 that forwards many visitors (see send()).
      TRUST_PROXY: '127.0.0.1',
    },
  });
});
afterAll(async () => {
  const code = await server?.stop();
  await Promise.all([redis?.stop(), sim?.close()]);
  report('fuzz', { ...tally, exit_code: String(code) });
});

async function send(
  path: string,
  init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> },
) {
  // A different client address each time (TRUST_PROXY believes 127.0.0.1's header): the per-address limit of the public
  // functions must not hide what the parameters do.
  const n = visitor++;
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: init.body }),
    headers: { 'x-forwarded-for': `10.9.${(n >> 8) & 255}.${n & 255}`, ...init.headers },
  });
  const text = await response.text();
  tally.requests++;
  if (response.status >= 500) tally.status5xx++;
  else if (response.status >= 400) tally.status4xx++;
  else tally.status2xx++;
  return { status: response.status, text };
}

/** The stored row's bytes (decoded as its `body_encoding` says), polled until it lands; null if it never does. */
async function storedBytes(body: string | Uint8Array): Promise<Buffer | null> {
  const id = createHash('sha256').update(body).digest('hex');
  const read = async () => {
    const [row] = await env.sql<Array<{ raw_body: string; body_encoding: string }>>`
      select raw_body, body_encoding from cal_webhook_events where id = ${id}`;
    return row;
  };
  const row = await waitUntil('the stored row', read, undefined, { timeoutMs: 5_000 }).catch(() => undefined);
  return row ? Buffer.from(row.raw_body, row.body_encoding === 'base64' ? 'base64' : 'utf8') : null;
}

async function isStored(body: string | Uint8Array): Promise<boolean> {
  const id = createHash('sha256').update(body).digest('hex');
  const [row] = await env.sql<Array<{ n: number }>>`select count(*)::int as n from cal_webhook_events where id = ${id}`;
  return row!.n > 0;
}

describe('chaos: fuzzing ingest', () => {
  // Signed with the right secret over the exact bytes, so every answer is about the body itself.
  const signed = (body: string | Uint8Array) => ({
    'content-type': 'application/json',
    'x-cal-signature-256': createHmac('sha256', TEST_SECRET).update(body).digest('hex'),
  });

  // Signed = stored: a custom payload template may send anything, and Cal.com never sends it again.
  it('stores signed garbage (random bytes, random JSON, deep nesting, wrong types) byte-exact, answering 202', async () => {
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 2_000 }),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record({
          triggerEvent: hostileValue,
          createdAt: hostileValue,
          payload: fc.oneof(hostileValue, fc.array(fc.integer())),
        })
        .map((value) => JSON.stringify(value)),
      fc
        .tuple(fc.integer({ min: 129, max: 20_000 }), fc.constantFrom('array' as const, 'object' as const))
        .map(
          ([depth, kind]) =>
            `{"triggerEvent":"PING","createdAt":"2026-01-15T12:00:00Z","payload":${nested(depth, kind)}}`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (body) => {
        const answer = await send('/cal-webhook', { method: 'POST', body, headers: signed(body) });
        expect(answer.status, answer.text).toBe(202);
        expect(JSON.parse(answer.text).id).toBe(createHash('sha256').update(body).digest('hex'));
        // The 202 may come from Redis first; the row follows.
        expect(await storedBytes(body)).toEqual(Buffer.from(body));
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('answers 401 to unsigned or wrongly signed bodies, and 413 to a body over 1 MiB', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 500 }),
        fc.option(fc.string({ maxLength: 80 })),
        async (body, signature) => {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (signature !== null) headers['x-cal-signature-256'] = signature;
          const answer = await send('/cal-webhook', { method: 'POST', body, headers });
          expect(answer.status, answer.text).toBe(401);
          return true;
        },
      ),
      { numRuns: RUNS / 2 },
    );
    const huge = `{"triggerEvent":"PING","createdAt":"2026-01-15T12:00:00Z","payload":{"x":"${'y'.repeat(1_100_000)}"}}`;
    // Ingest answers 413 as soon as the declared length is over the limit and closes the connection: a client still
    // writing the body may see the close (EPIPE, reset) before the answer. Either way the body is refused.
    const answer = await send('/cal-webhook', { method: 'POST', body: huge, headers: signed(huge) }).catch(
      (error: Error) => {
        const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
        if (code !== 'EPIPE' && code !== 'ECONNRESET') throw error;
        return { status: 413, text: `closed while the body was sent (${code})` };
      },
    );
    expect(answer.status, answer.text).toBe(413);
    expect(await isStored(huge)).toBe(false);
  });
});

describe('chaos: fuzzing every API parameter', () => {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const routes: Array<{ path: string; params: string[]; headers: Record<string, string> }> = [
    {
      path: '/cal-bookings',
      params: ['action', 'status', 'from', 'to', 'event_type', 'q', 'limit', 'cursor'],
      headers: admin,
    },
    { path: '/cal-availability', params: ['eventTypeId', 'dateFrom', 'dateTo', 'timeZone'], headers: {} },
    { path: '/cal-event-types', params: ['action', 'unknown'], headers: admin },
  ];
  for (const route of routes) {
    it(`${route.path}: never a 5xx, as a query string or as a JSON body`, async () => {
      const params = fc.dictionary(fc.constantFrom(...route.params), hostileValue, { maxKeys: route.params.length });
      await fc.assert(
        fc.asyncProperty(params, fc.boolean(), async (values, asBody) => {
          const answer = asBody
            ? await send(`/functions/v1${route.path}`, {
                method: 'POST',
                body: JSON.stringify(values),
                headers: { ...route.headers, 'content-type': 'application/json' },
              })
            : await send(`${route.path}?${toQuery(values)}`, { headers: route.headers });
          expect(answer.status, `${JSON.stringify(values).slice(0, 300)} → ${answer.text.slice(0, 300)}`).toBeLessThan(
            500,
          );
          return true;
        }),
        // Found by this suite once: the end of 9999-12-31 used to reach PostgreSQL as `+010000-01-01…` (a 500).
        { numRuns: RUNS, examples: [[Object.fromEntries(route.params.map((p) => [p, '9999-12-31'])), false]] },
      );
    });
  }

  it('/cal-bookings/:uid: never a 5xx, whatever the path segment', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          hostileValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'))),
        ),
        async (uid) => {
          const answer = await send(`/cal-bookings/${encodeURIComponent(uid)}`, { headers: admin });
          expect(answer.status, `${uid.slice(0, 100)} → ${answer.text.slice(0, 300)}`).toBeLessThan(500);
          return true;
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('is still up and ready afterwards', async () => {
    expect(server.child.exitCode).toBeNull();
    expect((await send('/readyz', {})).status).toBe(200);
  });
});
