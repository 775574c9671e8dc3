import { buildTemplateDelivery, sendDelivery } from '@calsync/cal-sim';
import { calBookings, calWebhookEvents } from '@calsync/db';
import { useTestEnv } from '@calsync/test-support';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, TEST_SECRET, waitForEvents } from '../../test/pipeline-harness.ts';

// Bodies calsync cannot read, still signed (packages/features/webhooks/lib/sendPayload.ts): a webhook with a custom
// payload template (`applyTemplate`: a JSON template's output re-serialised, or the text as is, form-encoded), a
// JSON template whose filled output is not JSON (`jsonParse` gives false, so the body is `false`), and a Zapier
// subscription's body (`getZapierPayload`: no envelope, no triggerEvent, no uid). Built with `buildTemplateDelivery`.

const env = useTestEnv();
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
beforeAll(async () => {
  pipeline = await startPipeline(env);
});
afterAll(async () => await pipeline?.close());

const bodies = {
  'custom template': buildTemplateDelivery('BOOKING_CREATED', {
    text: 'New booking: Intro call with Ada at 2027-01-04T10:00:00Z',
    booking: '9f2c1a7e',
  }),
  'JSON template that filled to invalid JSON': buildTemplateDelivery('BOOKING_CREATED', false),
  zapier: buildTemplateDelivery('BOOKING_CANCELLED', {
    title: 'Intro call between Coach and Ada',
    description: '',
    customInputs: {},
    responses: { name: { label: 'your_name', value: 'Ada Lovelace' } },
    userFieldsResponses: {},
    startTime: '2027-01-04T10:00:00Z',
    endTime: '2027-01-04T10:30:00Z',
    location: 'Cal Video',
    status: 'CANCELLED',
    cancellationReason: 'Cannot make it',
    user: { username: 'coach', name: 'Coach', email: 'coach@example.com', timeZone: 'Europe/London', utcOffset: 0 },
    eventType: {
      title: 'Intro call',
      description: null,
      requiresConfirmation: false,
      price: 0,
      currency: 'usd',
      length: 30,
    },
    attendees: [{ name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London', utcOffset: 0 }],
    createdAt: '2027-01-03T09:00:00.000Z',
  }),
  'not JSON': buildTemplateDelivery('BOOKING_RESCHEDULED', 'event=BOOKING_RESCHEDULED&who=Ada+Lovelace'),
};

describe('signed bodies in shapes calsync does not read', () => {
  for (const [name, delivery] of Object.entries(bodies)) {
    it(`${name}: answered 202 and stored unrecognized with the raw body kept byte for byte`, async () => {
      const answer = await sendDelivery(pipeline.url, delivery, TEST_SECRET);
      expect(answer.status, answer.body).toBe(202);
      const { id } = JSON.parse(answer.body) as { id: string };
      const [done] = await waitForEvents(env, [id], { states: ['unrecognized', 'processed', 'ignored', 'failed'] });
      expect(done!.status).toBe('unrecognized');
      const [event] = await env.db.select().from(calWebhookEvents).where(eq(calWebhookEvents.id, id));
      expect(event).toMatchObject({ rawBody: delivery.rawBody, bodyEncoding: 'utf8', error: null });
    });
  }

  it('none of them made a booking row', async () => {
    const [rows] = await env.db.select({ n: count() }).from(calBookings);
    expect(rows?.n).toBe(0);
  });
});
