import { useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import {
  bookingJson,
  calPageJson,
  cancelledRecurringJson,
  instantMeetingJson,
  seatedBookingJson,
} from '../../test/fixtures.ts';
import { stubClient, useStubServers } from '../../test/stub-client.ts';
import { answer } from '../../test/stub-server.ts';
import { collectiveEventTypeJson, roundRobinEventTypeJson, teamJson } from '../../test/team-fixtures.ts';
import type { CalBookingsPage } from './index.ts';
import { CAL_API_VERSIONS } from './transport.ts';

// What real Cal.com sends (shapes built from its output services), played by a real HTTP stub.

const env = useTestEnv();
const stub = useStubServers();
const clientFor = (baseUrl: string) => stubClient(env, baseUrl);

async function allPages(pages: AsyncIterable<CalBookingsPage>) {
  const out: CalBookingsPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('Cal.com client: bookings as Cal.com really lists them', () => {
  it('takes an instant meeting (host id "unknown", awaiting_host), a seated and a recurring booking', async () => {
    const items = [instantMeetingJson(1), seatedBookingJson(2), cancelledRecurringJson(3)];
    const server = await stub((_, res) =>
      answer(res, 200, JSON.stringify(calPageJson(items, { totalItems: 3, hasNextPage: false }))),
    );
    const [page] = await allPages(clientFor(server.url).client.listBookings());
    expect(page!.rejected).toEqual([]);
    expect(page!.bookings).toMatchObject([
      {
        uid: 'uid-1',
        status: 'awaiting_host',
        hosts: [{ id: 'unknown' }],
        attendees: [{ phoneNumber: '+33612345678' }],
      },
      { uid: 'uid-2', attendees: [{ seatUid: 'seat-2-a', language: 'fr' }] },
      { uid: 'uid-3', status: 'cancelled', recurringBookingUid: 'series-3', absentHost: true },
    ]);
  });

  it('a broken item among good ones is rejected with its field named, the others kept', async () => {
    const items: Array<Record<string, unknown>> = [0, 1, 2, 3].map(bookingJson);
    delete items[1]!.start;
    items[3]!.id = 'not-a-number';
    const server = await stub((_, res) =>
      answer(res, 200, JSON.stringify(calPageJson(items, { totalItems: 4, hasNextPage: false }))),
    );
    const [page] = await allPages(clientFor(server.url).client.listBookings());
    expect(page!.bookings.map((b) => b.uid)).toEqual(['uid-0', 'uid-2']);
    expect(page!.rejected).toEqual([
      { index: 1, uid: 'uid-1', raw: items[1], reason: expect.stringMatching(/^data\[1\]\.start: expected string/) },
      { index: 3, uid: 'uid-3', raw: items[3], reason: expect.stringMatching(/^data\[3\]\.id: expected number/) },
    ]);
  });

  it('a wrong page envelope still throws CalSchemaError', async () => {
    const server = await stub((_, res) => answer(res, 200, JSON.stringify({ status: 'success', data: { uid: 'x' } })));
    const error = await clientFor(server.url)
      .client.listBookings()
      .next()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CalSchemaError', path: 'data' });
  });
});

describe('Cal.com client: paging never trusts the total', () => {
  it('follows full pages although hasNextPage is false and totalItems null or too small; stops at a short page', async () => {
    const pages = [
      calPageJson([bookingJson(0), bookingJson(1)], { totalItems: null, hasNextPage: null, take: 2 }),
      calPageJson([bookingJson(2), bookingJson(3)], { totalItems: 1, hasNextPage: false, take: 2 }),
      calPageJson([bookingJson(4)], { totalItems: 900, hasNextPage: true, take: 2 }),
    ];
    const server = await stub((_, res, index) => answer(res, 200, JSON.stringify(pages[index])));
    const listed = await allPages(clientFor(server.url).client.listBookings({ take: 2 }));
    expect(listed.map((p) => [p.skip, p.nextSkip, p.bookings.length])).toEqual([
      [0, 2, 2],
      [2, 4, 2],
      [4, null, 1],
    ]);
    expect(server.requests).toHaveLength(3);
  });

  it('an empty page ends the listing even when Cal.com says hasNextPage', async () => {
    const pages = [
      calPageJson([bookingJson(0), bookingJson(1)], { totalItems: 5, hasNextPage: true, take: 2 }),
      calPageJson([], { totalItems: 5, hasNextPage: true, take: 2 }),
    ];
    const server = await stub((_, res, index) => answer(res, 200, JSON.stringify(pages[index])));
    const listed = await allPages(clientFor(server.url).client.listBookings({ take: 2 }));
    expect(listed.map((p) => [p.skip, p.nextSkip, p.bookings.length])).toEqual([
      [0, 2, 2],
      [2, null, 0],
    ]);
  });
});

describe('Cal.com client: team event types', () => {
  it('lists the key user teams and each team event types through the budget, with a cal-api-version', async () => {
    const server = await stub((req, res) => {
      if (req.url === '/v2/teams') return answer(res, 200, JSON.stringify({ status: 'success', data: [teamJson(5)] }));
      const data = [roundRobinEventTypeJson(70, 5), collectiveEventTypeJson(71, 5)];
      return answer(res, 200, JSON.stringify({ status: 'success', data }));
    });
    const { client, seen } = clientFor(server.url);
    const teams = await client.listTeams();
    expect(teams).toMatchObject([{ id: 5, slug: 'team-5' }]);
    const eventTypes = await client.listTeamEventTypes(teams[0]!.id);
    expect(eventTypes).toMatchObject([
      { id: 70, teamId: 5, schedulingType: 'roundRobin', hosts: [{ userId: 11, priority: 'medium' }, { userId: 12 }] },
      { id: 71, teamId: 5, schedulingType: 'collective', lengthInMinutes: 60 },
    ]);
    expect(server.requests.map((r) => [r.url, r.headers['cal-api-version']])).toEqual([
      ['/v2/teams', CAL_API_VERSIONS.teams],
      ['/v2/teams/5/event-types', CAL_API_VERSIONS.teams],
    ]);
    expect(seen.map((s) => s.family)).toEqual(['teams', 'teams']);
  });

  it('refuses a bad team id before any request, naming it', async () => {
    const server = await stub((_, res) => answer(res, 200, '{}'));
    await expect(clientFor(server.url).client.listTeamEventTypes(0)).rejects.toThrow(/^teamId: /);
    expect(server.requests).toHaveLength(0);
  });
});

describe('Cal.com client: rate-limit headers under any name', () => {
  it('a named limit at 0 pauses the budget for its own reset, whatever the other limits say', async () => {
    const headers = {
      'x-ratelimit-limit-long': '1000',
      'x-ratelimit-remaining-long': '950',
      'x-ratelimit-reset-long': '3000',
      'x-ratelimit-limit-short': '10',
      'x-ratelimit-remaining-short': '0',
      'x-ratelimit-reset-short': '7',
    };
    const server = await stub((_, res) => answer(res, 200, JSON.stringify({ status: 'success', data: [] }), headers));
    const { client, budget } = clientFor(server.url);
    await expect(client.listEventTypes()).resolves.toEqual([]);
    const { pausedUntil } = await budget.status();
    expect(pausedUntil! - Date.now()).toBeGreaterThan(5_000);
    expect(pausedUntil! - Date.now()).toBeLessThanOrEqual(7_100);
  });
});
