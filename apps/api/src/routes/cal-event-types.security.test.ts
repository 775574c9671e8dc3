import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi } from '../../test/app.ts';

const env = useTestEnv();
let app: FastifyInstance;

// What the event types sync stores in `metadata`: Cal.com's whole API v2 event type (cal-api-version 2024-06-14),
// shaped as Cal.com's OutputEventTypesService_2024_06_14.getResponseEventType builds it: the owner's id, the hosts
// (transformUsers), the locations with their address and phone number, the destination calendar.
const calcomEventType = {
  id: 4101,
  ownerId: 77,
  lengthInMinutes: 45,
  title: 'Coaching call',
  slug: 'coaching',
  description: 'One hour of coaching',
  locations: [
    { type: 'address', address: '12 Private Lane, Springfield', public: false },
    { type: 'phone', phone: '+15550100999', public: false },
  ],
  price: 15000,
  currency: 'eur',
  users: [
    {
      id: 77,
      name: 'Owner Name',
      username: 'owner',
      avatarUrl: null,
      brandColor: '#292929',
      darkBrandColor: '#fafafa',
      weekStart: 'Monday',
      metadata: {},
    },
  ],
  metadata: {},
  destinationCalendar: { integration: 'google_calendar', externalId: 'owner.private@example.com' },
  bookingUrl: 'https://cal.com/owner/coaching',
  hidden: false,
};

beforeAll(async () => {
  app = await buildTestApi(env);
  await env.sql`insert into cal_event_types (cal_event_type_id, slug, title, description, length, price, currency, active, metadata)
    values ('4101', 'coaching', 'Coaching call', 'One hour of coaching', 45, 15000, 'eur', true, ${JSON.stringify(calcomEventType)}::jsonb)`;
});
afterAll(async () => app?.close());

describe('cal-event-types for the public', () => {
  it('answers what a booking page needs and nothing of the account: no metadata, hosts, owner or locations', async () => {
    const answer = await app.inject({ url: '/cal-event-types' });
    expect(answer.statusCode).toBe(200);
    const [eventType] = answer.json().event_types;
    expect(eventType).toMatchObject({
      cal_event_type_id: '4101',
      slug: 'coaching',
      title: 'Coaching call',
      description: 'One hour of coaching',
      length: 45,
      price: 15000,
      currency: 'eur',
      active: true,
    });
    for (const field of ['metadata', 'users', 'ownerId', 'locations', 'hidden', 'deleted_at']) {
      expect(eventType).not.toHaveProperty(field);
    }
    for (const secret of ['Private Lane', '+15550100999', 'owner.private@example.com', 'ownerId', 'Owner Name']) {
      expect(answer.body).not.toContain(secret);
    }
  });

  it('still gives an admin the whole row, metadata included', async () => {
    const answer = await app.inject({ url: '/cal-event-types', headers: adminHeaders });
    const [eventType] = answer.json().event_types;
    expect(eventType.metadata).toEqual(calcomEventType);
    expect(eventType).toHaveProperty('hidden', false);
  });
});
