import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDelivery } from './build-delivery.ts';
import { makeBooking } from './make-booking.ts';
import { sendDelivery, sendStream, signDelivery } from './send.ts';

const received: Array<{ headers: IncomingHttpHeaders; raw: Buffer }> = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
    if (req.url === '/redirect') res.writeHead(302, { location: '/elsewhere' }).end();
    else res.writeHead(202, { 'content-type': 'application/json' }).end('{"received":true}');
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('signDelivery', () => {
  it('signs the exact raw body with lowercase hex HMAC-SHA256 and names the webhook version', () => {
    const headers = signDelivery('{"a":1}', 'whsec');
    const expected = createHmac('sha256', 'whsec').update('{"a":1}').digest('hex');
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-cal-signature-256': expected,
      'x-cal-webhook-version': '2021-10-20',
    });
    expect(headers['x-cal-signature-256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends the literal no-secret-provided without a secret', () => {
    expect(signDelivery('{}', null)['x-cal-signature-256']).toBe('no-secret-provided');
  });
});

describe('sendDelivery', () => {
  it('POSTs the raw body unchanged with a signature the receiver can verify', async () => {
    const delivery = buildDelivery('BOOKING_CREATED', makeBooking({}, 2));
    received.length = 0;
    const answer = await sendDelivery(`${url}/hook`, delivery, 'topsecret');
    expect(answer).toEqual({ status: 202, body: '{"received":true}' });
    const got = received[0]!;
    expect(got.raw.toString('utf8')).toBe(delivery.rawBody);
    const mac = createHmac('sha256', 'topsecret').update(got.raw).digest();
    const sent = Buffer.from(String(got.headers['x-cal-signature-256']), 'hex');
    expect(sent.length === mac.length && timingSafeEqual(sent, mac)).toBe(true);
    expect(got.headers['x-cal-webhook-version']).toBe('2021-10-20');
    expect(got.headers['content-type']).toBe('application/json');
  });

  it('does not follow redirects and sends a stream in order', async () => {
    received.length = 0;
    const delivery = buildDelivery('PING', makeBooking());
    expect((await sendDelivery(`${url}/redirect`, delivery, null)).status).toBe(302);
    expect(received).toHaveLength(1);
    const stream = [buildDelivery('BOOKING_CREATED', makeBooking({}, 1)), { ...delivery, delayMs: 5 }];
    const answers = await sendStream(url, stream, 's');
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(received.slice(1).map((r) => r.raw.toString())).toEqual(stream.map((d) => d.rawBody));
  });
});
