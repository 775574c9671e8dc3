import { buildDelivery, lifecycle, makeBooking, sendDelivery, signDelivery } from '@calsync/cal-sim';
import { calWebhookEvents } from '@calsync/db';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestWebhookEnv, startIngestServer } from '../test/ingest-server.ts';

const env = useTestEnv();
const SECRET = 'whsec_current';
const OLD_SECRET = 'whsec_previous';
const closers: Array<() => Promise<void>> = [];

const startIngest = (webhookEnv: IngestWebhookEnv) => startIngestServer(env, webhookEnv, closers);

let base: string;
beforeAll(async () => {
  base = await startIngest({ CAL_WEBHOOK_SECRET: [SECRET, OLD_SECRET], CAL_WEBHOOK_ALLOW_UNSIGNED: false });
});
afterAll(async () => {
  for (const close of closers) await close();
});

async function post(body: string | Buffer, headers: Record<string, string>, path = '/cal-webhook', url = base) {
  const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
  return {
    status: response.status,
    json: (await response.json()) as { id: string; error: { code: string; message: string } },
  };
}
const signed = (body: string, secret = SECRET) => signDelivery(body, secret);
const delivery = (seed: number) => lifecycle('book', { seed })[0]!;

describe('ingest: signatures', () => {
  it('accepts a correctly signed delivery on both paths', async () => {
    const d = delivery(1);
    const answer = await post(d.rawBody, signed(d.rawBody));
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ received: true, id: expect.stringMatching(/^[0-9a-f]{64}$/), duplicate: false });
    const again = await post(d.rawBody, signed(d.rawBody), '/functions/v1/cal-webhook');
    expect(again).toEqual({ status: 202, json: { ...answer.json, duplicate: true } });
    // Durable in at least one store at 202; the row reaches PostgreSQL soon after.
    const rows = await waitUntil(
      'the delivery row in PostgreSQL',
      () => env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, answer.json.id)),
      (found) => found.length > 0,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'received',
      rawBody: d.rawBody,
      bookingUid: d.uid,
      triggerEvent: 'BOOKING_CREATED',
    });
  });

  it('accepts either secret during a rotation, and a sha256= prefix', async () => {
    const d = delivery(2);
    expect((await post(d.rawBody, signed(d.rawBody, OLD_SECRET))).status).toBe(202);
    const e = delivery(3);
    const headers = signed(e.rawBody);
    expect(
      (await post(e.rawBody, { ...headers, 'x-cal-signature-256': `sha256=${headers['x-cal-signature-256']}` })).status,
    ).toBe(202);
  });

  it('refuses a bad signature, a missing one and `no-secret-provided` with 401', async () => {
    const d = delivery(4);
    const wrong = await post(d.rawBody, signed(d.rawBody, 'whsec_someone_else'));
    expect(wrong).toMatchObject({ status: 401, json: { error: { code: 'invalid_signature' } } });
    const tampered = await post(d.rawBody.replace('BOOKING_CREATED', 'BOOKING_CANCELLED'), signed(d.rawBody));
    expect(tampered.json.error.code).toBe('invalid_signature');
    const missing = await post(d.rawBody, { 'content-type': 'application/json' });
    expect(missing).toMatchObject({ status: 401, json: { error: { code: 'missing_signature' } } });
    const noSecret = await post(d.rawBody, signDelivery(d.rawBody, null));
    expect(noSecret).toMatchObject({ status: 401, json: { error: { code: 'missing_signature' } } });
    expect(await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.bookingUid, d.uid!))).toEqual([]);
  });
});

describe('ingest: bodies', () => {
  it('refuses a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({
      triggerEvent: 'PING',
      createdAt: new Date().toISOString(),
      payload: { pad: 'x'.repeat(1_048_576) },
    });
    const answer = await post(big, signed(big));
    expect(answer).toMatchObject({ status: 413, json: { error: { code: 'payload_too_large' } } });
  });

  it('accepts 50 levels of nesting', async () => {
    const sim = makeBooking({}, 5);
    let nested: unknown = 'deep';
    for (let i = 0; i < 50; i++) nested = { n: nested };
    const d = buildDelivery('BOOKING_CREATED', sim, { createdAt: '2026-01-15T12:00:00Z', extra: { nested } });
    expect((await post(d.rawBody, signed(d.rawBody))).status).toBe(202);
  });

  it('stores what is not a Cal.com envelope (202), recording the trigger it names or UNKNOWN', async () => {
    const cases: Array<[unknown, string]> = [
      [{ triggerEvent: 42, createdAt: '2026-01-15T12:00:00Z', payload: {} }, 'UNKNOWN'],
      [{ triggerEvent: 'BOOKING_CREATED', createdAt: '2026-01-15T12:00:00Z' }, 'BOOKING_CREATED'],
      [{ triggerEvent: 'BOOKING_REJECTED', createdAt: 'yesterday', payload: {} }, 'BOOKING_REJECTED'],
      [[1, 2, 3], 'UNKNOWN'],
    ];
    for (const [body, trigger] of cases) {
      const raw = JSON.stringify(body);
      const answer = await post(raw, signed(raw));
      expect(answer.status).toBe(202);
      const rows = await waitUntil(
        'the delivery row in PostgreSQL',
        () => env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, answer.json.id)),
        (found) => found.length > 0,
      );
      expect(rows[0]).toMatchObject({ rawBody: raw, triggerEvent: trigger, bookingUid: null, sentAt: null });
    }
  });

  it('accepts any content type, PING and unknown triggers', async () => {
    const sim = makeBooking({}, 6);
    for (const trigger of ['PING', 'SOMETHING_NEW_2027']) {
      const d = buildDelivery(trigger, sim, { createdAt: '2026-01-15T12:00:00Z' });
      expect((await post(d.rawBody, { ...signed(d.rawBody), 'content-type': 'text/plain' })).status).toBe(202);
    }
  });
});

describe('ingest: configuration', () => {
  it('refuses every delivery with 503 when no secret is configured', async () => {
    const url = await startIngest({ CAL_WEBHOOK_ALLOW_UNSIGNED: false });
    const d = delivery(7);
    const answer = await sendDelivery(`${url}/cal-webhook`, d, SECRET);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).error.code).toBe('webhook_secret_not_configured');
  });

  it('accepts unsigned deliveries when CAL_WEBHOOK_ALLOW_UNSIGNED is set and no secret is', async () => {
    const url = await startIngest({ CAL_WEBHOOK_ALLOW_UNSIGNED: true });
    const answer = await sendDelivery(`${url}/cal-webhook`, delivery(8), null);
    expect(answer.status).toBe(202);
  });
});
