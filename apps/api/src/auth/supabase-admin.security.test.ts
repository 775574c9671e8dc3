import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApi, insertBooking } from '../../test/app.ts';
import {
  anonKeyClaims,
  hs256,
  type JwksServer,
  type SigningKey,
  signingKey,
  signWith,
  startJwksServer,
  TEST_SUPABASE_SECRET,
  unsigned,
  userClaims,
} from '../../test/supabase.ts';

// The admin frontend signs in with Supabase Auth and sends the user's access token.

const env = useTestEnv();
const apps: FastifyInstance[] = [];
let app: FastifyInstance;
let es256: SigningKey;
let rs256: SigningKey;
let jwks: JwksServer;

async function build(vars: Record<string, string | undefined>, prefix: string) {
  const built = await buildTestApi({ ...env, redisPrefix: `${env.redisPrefix}-${prefix}` }, vars);
  apps.push(built);
  return built;
}

beforeAll(async () => {
  [es256, rs256] = await Promise.all([signingKey('ES256', 'es-key-1'), signingKey('RS256', 'rs-key-1')]);
  jwks = await startJwksServer([es256, rs256]);
  app = await build({ SUPABASE_JWT_SECRET: TEST_SUPABASE_SECRET, SUPABASE_URL: jwks.url }, 'main');
  await insertBooking(env);
  await env.sql`insert into cal_event_types (cal_event_type_id, title, active)
    values ('21', 'Active', true), ('22', 'Retired', false)`;
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await jwks?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const titles = (answer: { json(): { event_types: Array<{ title: string }> } }) =>
  answer.json().event_types.map((e) => e.title);

describe('a Supabase access token with app_metadata.role = admin', () => {
  it('is admin on the functions whether signed with HS256, ES256 or RS256', async () => {
    const tokens = [
      await hs256(userClaims({ appRole: 'admin' })),
      await signWith(es256, userClaims({ appRole: 'admin' })),
      await signWith(rs256, userClaims({ appRole: 'admin' })),
    ];
    for (const token of tokens) {
      const bookings = await app.inject({ url: '/functions/v1/cal-bookings?limit=1', headers: bearer(token) });
      expect(bookings.statusCode, bookings.body).toBe(200);
      expect(bookings.json().bookings).toHaveLength(1);
      const eventTypes = await app.inject({ url: '/cal-event-types', headers: bearer(token) });
      expect(titles(eventTypes)).toEqual(['Active', 'Retired']);
    }
  });

  it('queues a sync by GET like the admin token does (a bearer needs no CSRF token)', async () => {
    const token = await signWith(es256, userClaims({ appRole: 'admin' }));
    const answer = await app.inject({ url: '/cal-bookings?action=sync', headers: bearer(token) });
    expect(answer.statusCode, answer.body).toBe(202);
  });

  it('fetches the JWKS once and verifies later tokens from the cache', async () => {
    const before = jwks.fetches();
    for (let n = 0; n < 5; n++) {
      const token = await signWith(rs256, userClaims({ appRole: 'admin' }));
      expect((await app.inject({ url: '/cal-bookings?limit=1', headers: bearer(token) })).statusCode).toBe(200);
    }
    expect(jwks.fetches()).toBe(before);
  });

  it('reads the claim named by SUPABASE_ADMIN_CLAIM', async () => {
    const custom = await build({ SUPABASE_JWT_SECRET: TEST_SUPABASE_SECRET, SUPABASE_ADMIN_CLAIM: 'calsync' }, 'claim');
    const admin = await hs256({ ...userClaims(), calsync: 'admin' });
    expect((await custom.inject({ url: '/cal-bookings', headers: bearer(admin) })).statusCode).toBe(200);
    const byDefaultClaim = await hs256(userClaims({ appRole: 'admin' }));
    expect((await custom.inject({ url: '/cal-bookings', headers: bearer(byDefaultClaim) })).statusCode).toBe(403);
  });
});

describe('a valid Supabase token without the admin claim', () => {
  it('is a public caller: the public view, and 403 naming the claim on admin routes', async () => {
    const tokens: Array<[string, string]> = [
      [await hs256(userClaims({ appRole: 'coach' })), 'its app_metadata.role claim is not "admin"'],
      [await hs256(anonKeyClaims()), "it is an API key (role anon), not a signed-in user's token"],
    ];
    for (const [token, why] of tokens) {
      const eventTypes = await app.inject({ url: '/cal-event-types', headers: bearer(token) });
      expect(eventTypes.statusCode).toBe(200);
      expect(titles(eventTypes)).toEqual(['Active']);
      const bookings = await app.inject({ url: '/cal-bookings', headers: bearer(token) });
      expect(bookings.statusCode).toBe(403);
      expect(bookings.json().error.message).toBe(
        `this Supabase access token does not make its bearer an admin: ${why}`,
      );
    }
  });

  it('is a token of another audience, even with the admin claim', async () => {
    const token = await hs256({ ...userClaims({ appRole: 'admin' }), aud: 'anon' });
    expect(titles(await app.inject({ url: '/cal-event-types', headers: bearer(token) }))).toEqual(['Active']);
    const bookings = await app.inject({ url: '/cal-bookings', headers: bearer(token) });
    expect([bookings.statusCode, bookings.json().error.message]).toEqual([
      403,
      'this Supabase access token does not make its bearer an admin: its audience is not "authenticated"',
    ]);
  });

  it('is the anon key of a project configured by SUPABASE_URL alone (its HS256 cannot be checked)', async () => {
    const jwksOnly = await build({ SUPABASE_URL: jwks.url, ADMIN_TOKEN: undefined }, 'jwks-only');
    const anonKey = await hs256(anonKeyClaims());
    const eventTypes = await jwksOnly.inject({
      url: '/cal-event-types',
      headers: { ...bearer(anonKey), apikey: anonKey },
    });
    expect(titles(eventTypes)).toEqual(['Active']);
    const bookings = await jwksOnly.inject({ url: '/cal-bookings', headers: bearer(anonKey) });
    expect(bookings.statusCode).toBe(403);
    expect(bookings.json().error.message).toContain('SUPABASE_JWT_SECRET is not set');
    const admin = await signWith(es256, userClaims({ appRole: 'admin' }));
    expect((await jwksOnly.inject({ url: '/cal-bookings', headers: bearer(admin) })).statusCode).toBe(200);
  });
});

describe('a Supabase token that does not verify', () => {
  const refusals = async (): Promise<Array<[string, string, RegExp]>> => [
    ['expired', await hs256(userClaims({ appRole: 'admin', expiresInS: -3_600 })), /has expired \(exp\)/],
    [
      'not yet valid',
      await hs256({ ...userClaims({ appRole: 'admin' }), nbf: Math.floor(Date.now() / 1000) + 3_600 }),
      /"nbf"/,
    ],
    ['forged', await hs256(userClaims({ appRole: 'admin' }), 'an-attackers-own-secret-0123456789abcdef'), /signature/],
    ['alg none', unsigned(userClaims({ appRole: 'admin' })), /signed with none; accepted here: HS256, ES256/],
    ['malformed', 'bm90LWpzb24.e30.c2ln', /malformed/],
    ['unknown kid', await signWith(await signingKey('ES256', 'not-published'), userClaims()), /kid/],
  ];

  it('answers 401 naming the reason, on admin and on public functions', async () => {
    for (const [what, token, reason] of await refusals()) {
      for (const url of ['/cal-bookings', '/functions/v1/cal-event-types', '/cal-availability?eventTypeId=21']) {
        const answer = await app.inject({ url, headers: bearer(token) });
        expect([what, url, answer.statusCode, answer.json().error.code]).toEqual([what, url, 401, 'unauthorized']);
        expect(answer.json().error.message).toMatch(/^invalid Supabase access token: /);
        expect(answer.json().error.message).toMatch(reason);
      }
    }
  });

  it('counts as a failed sign-in: 429 after N, even for a valid admin token, and not for another client', async () => {
    const limited = await build(
      { SUPABASE_JWT_SECRET: TEST_SUPABASE_SECRET, AUTH_FAILURES_PER_CLIENT: '3' },
      'failures',
    );
    const forged = await hs256(userClaims({ appRole: 'admin' }), 'an-attackers-own-secret-0123456789abcdef');
    const admin = await hs256(userClaims({ appRole: 'admin' }));
    const from = (remoteAddress: string, token: string) =>
      limited.inject({ url: '/cal-bookings', headers: bearer(token), remoteAddress });
    for (let n = 0; n < 3; n++) expect((await from('203.0.113.30', forged)).statusCode).toBe(401);
    const refused = await from('203.0.113.30', admin);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('198.51.100.30', admin)).statusCode).toBe(200);
  });

  it('is 503 (not 401) while the JWKS cannot be fetched, and no failure is counted', async () => {
    const gone = await startJwksServer([]);
    await gone.close();
    const unreachable = await build({ SUPABASE_URL: gone.url, AUTH_FAILURES_PER_CLIENT: '1' }, 'unreachable');
    const token = await signWith(es256, userClaims({ appRole: 'admin' }));
    for (let n = 0; n < 2; n++) {
      const answer = await unreachable.inject({ url: '/cal-bookings', headers: bearer(token) });
      expect(answer.statusCode).toBe(503);
      expect(answer.json().error.message).toContain('JWKS is unreachable');
    }
  });
});

describe('without SUPABASE_JWT_SECRET and SUPABASE_URL', () => {
  it('behaves as before: a Supabase admin token is just a wrong bearer', async () => {
    const plain = await build({}, 'plain');
    const token = await hs256(userClaims({ appRole: 'admin' }));
    const bookings = await plain.inject({ url: '/cal-bookings', headers: bearer(token) });
    expect([bookings.statusCode, bookings.json().error.message]).toEqual([401, 'invalid credentials']);
    expect(titles(await plain.inject({ url: '/cal-event-types', headers: bearer(token) }))).toEqual(['Active']);
    const unconfigured = await build({ ADMIN_TOKEN: undefined }, 'unconfigured');
    expect((await unconfigured.inject({ url: '/cal-bookings', headers: bearer(token) })).statusCode).toBe(503);
  });

  it('makes admin routes work with Supabase alone (no ADMIN_TOKEN)', async () => {
    const supabaseOnly = await build({ ADMIN_TOKEN: undefined, SUPABASE_JWT_SECRET: TEST_SUPABASE_SECRET }, 'alone');
    const token = await hs256(userClaims({ appRole: 'admin' }));
    expect((await supabaseOnly.inject({ url: '/cal-bookings', headers: bearer(token) })).statusCode).toBe(200);
    expect((await supabaseOnly.inject({ url: '/cal-bookings' })).statusCode).toBe(401);
  });
});
