import { type CalSim, startCalSim } from '@calsync/cal-sim';
import { useTestEnv } from '@calsync/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoursFromNow, mirrorSimBooking, mirrorSimEventTypes } from '../../test/actions.ts';
import { buildTestApi } from '../../test/app.ts';
import { browser } from '../../test/dashboard-browser.ts';

const env = useTestEnv();
let sim: CalSim;
let app: FastifyInstance;
let admin: ReturnType<typeof browser>;

beforeAll(async () => {
  sim = await startCalSim({ bookings: 2, eventTypes: 2 });
  app = await buildTestApi(env, { CAL_API_URL: sim.url, CAL_API_KEY: sim.apiKey });
  await mirrorSimEventTypes(env, sim);
  admin = browser(app);
  await admin.logIn();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

/** The form of `action` on a booking page: its URL and hidden fields. */
function formOf(body: string, action: string) {
  const block = new RegExp(`<details class="action" data-action="${action}">([\\s\\S]*?)</details>`).exec(body)?.[1];
  if (!block) throw new Error(`no ${action} form on the page`);
  const url = /action="([^"]+)"/.exec(block)![1]!;
  const hidden = Object.fromEntries(
    [...block.matchAll(/name="(_csrf|idempotency_key)" value="([^"]+)"/g)].map((m) => [m[1], m[2]]),
  );
  return { url, hidden: hidden as Record<string, string> };
}

const actionsOn = (body: string) => [...body.matchAll(/data-action="([a-z-]+)"/g)].map((m) => m[1]);

async function mirrored(partial: Parameters<CalSim['store']['createBooking']>[0] = {}) {
  const booking = sim.store.createBooking(partial);
  await mirrorSimBooking(env, sim, booking.uid);
  return booking;
}

describe('managing from the dashboard', () => {
  it('offers what each state allows: confirm/decline for pending, cancel for upcoming, absence for past', async () => {
    const pending = await mirrored({ status: 'pending' });
    const upcoming = await mirrored();
    const past = await mirrored({ start: hoursFromNow(-3), end: hoursFromNow(-2) });
    const cancelled = await mirrored({ status: 'cancelled' });

    expect(actionsOn((await admin.get(`/admin/calendar/bookings/${pending.uid}`)).body)).toEqual([
      'confirm',
      'decline',
      'cancel',
    ]);
    expect(actionsOn((await admin.get(`/admin/calendar/bookings/${upcoming.uid}`)).body)).toEqual(['cancel']);
    expect(actionsOn((await admin.get(`/admin/calendar/bookings/${past.uid}`)).body)).toEqual(['mark-absent']);
    expect(actionsOn((await admin.get(`/admin/calendar/bookings/${cancelled.uid}`)).body)).toEqual([]);
  });

  it('cancels with a reason through the confirmation form; the same form sent twice calls Cal.com once', async () => {
    const upcoming = await mirrored();
    const before = await admin.get(`/admin/calendar/bookings/${upcoming.uid}`);
    const form = formOf(before.body, 'cancel');
    sim.log.reset();

    const sent = await admin.post(form.url, { ...form.hidden, reason: 'Coach is ill' });
    const again = await admin.post(form.url, { ...form.hidden, reason: 'Coach is ill' });

    expect([sent.statusCode, again.statusCode]).toEqual([303, 303]);
    expect(sent.headers.location).toBe(`/admin/calendar/bookings/${upcoming.uid}?done=cancel`);
    expect(sim.log.count()).toBe(1);
    const after = await admin.get(sent.headers.location as string);
    expect(after.body).toContain('Cancelled in Cal.com.');
    expect(after.body).toContain('badge-cancelled');
    expect(after.body).toMatch(/data-audit="cancel"[\s\S]*by dashboard-session \(reason: Coach is ill\)/);
  });

  it('refuses a form without the CSRF token, and shows a refusal in place', async () => {
    const pending = await mirrored({ status: 'pending' });
    const form = formOf((await admin.get(`/admin/calendar/bookings/${pending.uid}`)).body, 'confirm');
    const forged = await admin.post(form.url, { idempotency_key: form.hidden.idempotency_key! });
    expect(forged.statusCode).toBe(403);

    // Confirmed in Cal.com meanwhile, so Cal.com refuses; the mirror has not heard yet.
    sim.store.updateBooking(pending.uid, { status: 'accepted' });
    const refused = await admin.post(form.url, form.hidden);
    expect(refused.statusCode).toBe(502);
    expect(refused.body).toMatch(/role="alert" data-result="refused">Nothing changed: Cal.com refused to confirm/);
  });

  it('hides an event type and edits its title and length, with no price field', async () => {
    const [first] = sim.store.eventTypes();
    const page = await admin.get('/admin/calendar/event-types');
    const row = new RegExp(`<tr data-event-type="${first!.id}">([\\s\\S]*?)</tr>`).exec(page.body)![1]!;
    expect(row).not.toMatch(/name="price"/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(row)![1]!;
    const url = `/admin/calendar/event-types/${first!.id}`;

    const hide = await admin.post(url, { _csrf: csrf, idempotency_key: 'hide-1', hidden: 'true' });
    const edit = await admin.post(url, {
      _csrf: csrf,
      idempotency_key: 'edit-1',
      title: 'Intro call',
      length: '20',
      description: '',
    });

    expect([hide.statusCode, edit.statusCode]).toEqual([303, 303]);
    expect(sim.store.eventType(first!.id)).toMatchObject({ hidden: true, title: 'Intro call', lengthInMinutes: 20 });
    const after = await admin.get(edit.headers.location as string);
    expect(after.body).toContain(`Event type ${first!.id} updated in Cal.com.`);
    expect(after.body).toMatch(/Intro call[\s\S]*20 min[\s\S]*>Show</);
  });
});
