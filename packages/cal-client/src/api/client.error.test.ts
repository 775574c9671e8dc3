import { closedPortUrl, useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { bookingJson, errorJson } from '../../test/fixtures.ts';
import { stubClient, useStubServers } from '../../test/stub-client.ts';
import { answer } from '../../test/stub-server.ts';
import {
  CalAuthError,
  CalBadRequestError,
  CalNetworkError,
  CalNotFoundError,
  CalRateLimitedError,
  CalSchemaError,
  CalServerError,
  CalTimeoutError,
} from './errors.ts';
import type { CalClientOptions } from './transport.ts';

const env = useTestEnv();
const stub = useStubServers();
const clientFor = (baseUrl: string, extra: Partial<CalClientOptions> = {}) => stubClient(env, baseUrl, extra);

describe('Cal.com client: answers that are not what we rely on', () => {
  it('a schema mismatch names the field path, keeps the raw body and is not retried', async () => {
    const body = JSON.stringify({ status: 'success', data: { ...bookingJson(3), start: undefined } });
    const server = await stub((_, res) => answer(res, 200, body));
    const error = await clientFor(server.url)
      .client.getBooking('uid-3')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CalSchemaError);
    const schemaError = error as CalSchemaError;
    expect(schemaError.path).toBe('data.start');
    expect(schemaError.message).toContain('data.start: expected string');
    expect(schemaError.rawBody).toBe(body);
    expect(schemaError.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('a wrong-typed field and a body that is not JSON are schema errors too', async () => {
    const eventTypes = JSON.stringify({
      status: 'success',
      data: [{ id: '12', slug: 'x', title: 'X', lengthInMinutes: 30 }],
    });
    const server = await stub((req, res) =>
      answer(res, 200, req.url?.startsWith('/v2/event-types') ? eventTypes : '<html>'),
    );
    const { client } = clientFor(server.url);
    await expect(client.listEventTypes()).rejects.toMatchObject({ name: 'CalSchemaError', path: 'data[0].id' });
    await expect(client.getBooking('abc')).rejects.toMatchObject({ name: 'CalSchemaError', rawBody: '<html>' });
  });

  it('extra fields pass through untouched', async () => {
    const server = await stub((_, res) =>
      answer(res, 200, JSON.stringify({ status: 'success', data: { ...bookingJson(1), brandNewField: { a: 1 } } })),
    );
    const booking = await clientFor(server.url).client.getBooking('uid-1');
    expect(booking).toMatchObject({ uid: 'uid-1', brandNewField: { a: 1 } });
  });
});

describe('Cal.com client: errors and retries', () => {
  it('an auth error is typed, carries the Cal.com code and is not retried', async () => {
    const server = await stub((_, res) => answer(res, 401, errorJson('UnauthorizedException', 'Invalid API key')));
    const error = await clientFor(server.url)
      .client.listEventTypes()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CalAuthError);
    expect(error).toMatchObject({ status: 401, retryable: false, calCode: 'UnauthorizedException' });
    expect((error as Error).message).toContain('Invalid API key');
    expect(server.requests).toHaveLength(1);
  });

  it('404 is CalNotFoundError and another 4xx is CalBadRequestError, neither retried', async () => {
    const server = await stub((req, res) =>
      req.url?.includes('/bookings/')
        ? answer(res, 404, errorJson('NotFoundException', 'Booking not found'))
        : answer(res, 400, errorJson('BadRequestException', 'take must not be greater than 250')),
    );
    const { client } = clientFor(server.url);
    await expect(client.getBooking('missing')).rejects.toBeInstanceOf(CalNotFoundError);
    await expect(client.getSlots({ eventTypeId: 1, start: '2026-01-01', end: '2026-01-02' })).rejects.toBeInstanceOf(
      CalBadRequestError,
    );
    expect(server.requests).toHaveLength(2);
  });

  it('server errors are retried a bounded number of times, each attempt reported', async () => {
    const server = await stub((_, res) => answer(res, 503, errorJson('ServiceUnavailable', 'down')));
    const { client, seen } = clientFor(server.url, { retry: { attempts: 3, baseDelayMs: 5 } });
    await expect(client.listEventTypes()).rejects.toBeInstanceOf(CalServerError);
    expect(server.requests).toHaveLength(3);
    expect(seen.map((s) => s.status)).toEqual([503, 503, 503]);
    expect(seen.every((s) => s.family === 'event-types')).toBe(true);
  });

  it('a server error followed by success succeeds', async () => {
    const server = await stub((_, res, index) =>
      index === 0 ? answer(res, 502, 'Bad Gateway') : answer(res, 200, JSON.stringify({ status: 'success', data: [] })),
    );
    const { client, seen } = clientFor(server.url);
    await expect(client.listEventTypes()).resolves.toEqual([]);
    expect(seen.map((s) => s.status)).toEqual([502, 200]);
  });

  it('a refused connection is a retried CalNetworkError', async () => {
    const { client, seen } = clientFor((await closedPortUrl('redis')).replace('redis:', 'http:'), {
      retry: { attempts: 2, baseDelayMs: 5 },
    });
    await expect(client.listEventTypes()).rejects.toBeInstanceOf(CalNetworkError);
    expect(seen.map((s) => s.status)).toEqual(['network-error', 'network-error']);
  });

  it('timeouts are typed: no headers in time, and a body that stalls', async () => {
    const silent = await stub(() => {});
    const stalling = await stub((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":[');
    });
    const options = { retry: { attempts: 1 }, timeouts: { headersMs: 200, bodyMs: 200 } };
    const headersError = await clientFor(silent.url, options)
      .client.listEventTypes()
      .catch((e: unknown) => e);
    expect(headersError).toBeInstanceOf(CalTimeoutError);
    expect(headersError).toMatchObject({ phase: 'headers', retryable: true });
    const bodyError = await clientFor(stalling.url, options)
      .client.listEventTypes()
      .catch((e: unknown) => e);
    expect(bodyError).toMatchObject({ name: 'CalTimeoutError', phase: 'body' });
  });

  it('a 429 pauses the budget (60 s without a reset header) and is not retried inline', async () => {
    const server = await stub((_, res) => answer(res, 429, errorJson('ThrottlerException', 'Too Many Requests')));
    const { client, budget } = clientFor(server.url);
    const error = await client.listEventTypes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CalRateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 60_000, calCode: 'ThrottlerException', status: 429 });
    expect(server.requests).toHaveLength(1);
    const { pausedUntil } = await budget.status();
    expect(pausedUntil! - Date.now()).toBeGreaterThan(50_000);
  });

  it('X-RateLimit-Remaining-Default: 0 pauses the budget for the reset seconds', async () => {
    const headers = { 'x-ratelimit-remaining-default': '0', 'x-ratelimit-reset-default': '7' };
    const server = await stub((_, res) => answer(res, 200, JSON.stringify({ status: 'success', data: {} }), headers));
    const { client, budget } = clientFor(server.url);
    await expect(client.getSlots({ eventTypeId: 3, start: '2026-01-01', end: '2026-01-07' })).resolves.toEqual({});
    const { pausedUntil } = await budget.status();
    expect(pausedUntil! - Date.now()).toBeGreaterThan(5_000);
    expect(pausedUntil! - Date.now()).toBeLessThanOrEqual(7_100);
  });

  it('a call waiting for the budget is cancelled by its signal and sends nothing', async () => {
    const server = await stub((_, res) => answer(res, 200, JSON.stringify({ status: 'success', data: [] })));
    const { client, budget } = clientFor(server.url);
    await budget.pauseUntil(Date.now() + 30_000);
    const reason = new Error('request closed');
    const controller = new AbortController();
    const call = client.listEventTypes({ priority: 'interactive', signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(call).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('bad input is refused before any request, naming the field', async () => {
    const server = await stub((_, res) => answer(res, 200, '{}'));
    const { client } = clientFor(server.url);
    await expect(client.listBookings({ take: 251 }).next()).rejects.toThrow(/^take: /);
    await expect(client.listBookings({ afterUpdatedAt: 'last tuesday' }).next()).rejects.toThrow(/^afterUpdatedAt: /);
    await expect(client.getSlots({ eventTypeId: 1, start: 'soon', end: '2026-01-01' })).rejects.toThrow(/^start: /);
    expect(server.requests).toHaveLength(0);
  });
});
