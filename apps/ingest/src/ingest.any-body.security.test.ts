import { createHash } from 'node:crypto';
import { signBody } from '@calsync/cal-client';
import { openWebhookQueue } from '@calsync/jobs';
import { useTestEnv, waitUntil } from '@calsync/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestWebhookEnv, startIngestServer } from '../test/ingest-server.ts';

// Signed = stored: Cal.com sends each delivery once, and a webhook with a custom payload template (or Zapier's body)
// sends whatever the template makes, still signed. Every such body must be kept byte for byte and acknowledged.

const env = useTestEnv();
const SECRET = 'whsec_any_body';
const closers: Array<() => Promise<void>> = [];

const startIngest = async (webhookEnv: IngestWebhookEnv) =>
  `${await startIngestServer(env, webhookEnv, closers)}/cal-webhook`;

let url: string;
let queue: ReturnType<typeof openWebhookQueue>;
beforeAll(async () => {
  url = await startIngest({ CAL_WEBHOOK_SECRET: [SECRET], CAL_WEBHOOK_ALLOW_UNSIGNED: false });
  queue = openWebhookQueue({ redisUrl: env.redisUrl, prefix: env.redisPrefix });
});
afterAll(async () => {
  await queue.close();
  for (const close of closers) await close();
});

async function post(body: Buffer, headers: Record<string, string>, to = url) {
  const response = await fetch(to, { method: 'POST', body, headers });
  return { status: response.status, json: (await response.json()) as { id: string; error?: { code: string } } };
}
const signedHeaders = (body: Buffer, contentType: string): Record<string, string> => ({
  ...(contentType ? { 'content-type': contentType } : {}),
  'x-cal-signature-256': signBody(body, SECRET),
});

/** The stored row's bytes, decoded as its encoding says. */
async function storedRow(id: string) {
  const rows = await waitUntil(
    'the delivery row in PostgreSQL',
    () =>
      env.sql<Array<{ raw_body: string; body_encoding: string; trigger_event: string; booking_uid: string | null }>>`
        select raw_body, body_encoding, trigger_event, booking_uid from cal_webhook_events where id = ${id}`,
    (found) => found.length > 0,
  );
  const row = rows[0]!;
  const bytes = Buffer.from(row.raw_body, row.body_encoding === 'base64' ? 'base64' : 'utf8');
  return { ...row, bytes };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const bodies: Array<[string, Buffer, string, 'utf8' | 'base64', string]> = [
  // [what, bytes, content type, stored encoding, trigger recorded]
  [
    'a custom payload template (JSON)',
    Buffer.from('{"event":"BOOKING_CREATED","who":"Ann","when":"2026-02-01T10:00:00Z"}'),
    'application/json',
    'utf8',
    'UNKNOWN',
  ],
  [
    'a template that names its trigger',
    Buffer.from('{"triggerEvent":"BOOKING_CANCELLED","uid":"abc"}'),
    'application/json',
    'utf8',
    'BOOKING_CANCELLED',
  ],
  [
    'a Zapier body',
    Buffer.from(JSON.stringify({ title: 'Intro', startTime: '2026-02-01T10:00:00Z', attendees: [], user: {} })),
    'application/json',
    'utf8',
    'UNKNOWN',
  ],
  ['a template that failed to compile', Buffer.from('false'), 'application/json', 'utf8', 'UNKNOWN'],
  [
    'a form-encoded template (not JSON)',
    Buffer.from('name=Ann&start=2026-02-01T10%3A00%3A00Z'),
    'application/x-www-form-urlencoded',
    'utf8',
    'UNKNOWN',
  ],
  ['a body without a content type', Buffer.from('plain words'), '', 'utf8', 'UNKNOWN'],
  ['not UTF-8 (Latin-1)', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]), 'text/plain', 'base64', 'UNKNOWN'],
  ['NUL bytes', Buffer.from('{"triggerEvent":"PING"}\u0000tail'), 'application/json', 'base64', 'UNKNOWN'],
  [
    'JSON nested absurdly deep',
    Buffer.from(`{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
    'application/json',
    'utf8',
    'UNKNOWN',
  ],
];

describe('ingest: a signed body is stored whatever its shape', () => {
  for (const [what, bytes, contentType, encoding, trigger] of bodies) {
    it(`${what}: 401 unsigned or forged; signed, 202 and stored byte-exact (${encoding}), queued alike`, async () => {
      const id = sha256(bytes);
      const unsigned = await post(bytes, contentType ? { 'content-type': contentType } : {});
      expect(unsigned).toMatchObject({ status: 401, json: { error: { code: 'missing_signature' } } });
      const forgedHeaders = { ...signedHeaders(bytes, contentType), 'x-cal-signature-256': signBody(bytes, 'guess') };
      const forged = await post(bytes, forgedHeaders);
      expect(forged).toMatchObject({ status: 401, json: { error: { code: 'invalid_signature' } } });
      expect(await env.sql`select id from cal_webhook_events where id = ${id}`).toEqual([]);
      expect(await queue.getJob(id)).toBeUndefined();

      const answer = await post(bytes, signedHeaders(bytes, contentType));
      expect(answer).toEqual({ status: 202, json: { received: true, id, duplicate: false } });
      const row = await storedRow(id);
      expect(row).toMatchObject({ body_encoding: encoding, trigger_event: trigger, booking_uid: null });
      expect(sha256(row.bytes)).toBe(id);
      expect(row.bytes.equals(bytes)).toBe(true);
      const job = await queue.getJob(id);
      expect(job?.data).toMatchObject({ deliveryId: id, rawBody: row.raw_body, bodyEncoding: encoding });
    });
  }

  it('an empty signed body is stored too', async () => {
    const empty = Buffer.alloc(0);
    const answer = await post(empty, { 'x-cal-signature-256': signBody(empty, SECRET) });
    expect(answer).toMatchObject({ status: 202, json: { id: sha256(empty) } });
    expect((await storedRow(answer.json.id)).bytes.length).toBe(0);
  });
});

describe('ingest: unsigned mode (CAL_WEBHOOK_ALLOW_UNSIGNED) takes only JSON', () => {
  it('refuses what is not JSON with 400 invalid_json, takes JSON of any shape', async () => {
    const unsignedUrl = await startIngest({ CAL_WEBHOOK_ALLOW_UNSIGNED: true });
    const latin1 = Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]);
    expect(await post(latin1, { 'content-type': 'application/json' }, unsignedUrl)).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_json', message: 'body is not valid UTF-8' } },
    });
    const form = Buffer.from('name=Ann');
    const refused = await post(form, { 'content-type': 'application/x-www-form-urlencoded' }, unsignedUrl);
    expect(refused).toMatchObject({ status: 400, json: { error: { code: 'invalid_json' } } });
    const template = Buffer.from('{"event":"booked","unsigned":true}');
    expect((await post(template, { 'content-type': 'application/json' }, unsignedUrl)).status).toBe(202);
  });
});
