import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestEnv } from '@calsync/test-support';

// Test support (not a test file): a real receiver for outbound webhooks, a movable clock and the feed's writers.

export interface Received {
  headers: Record<string, string>;
  body: string;
  /** What the receiver did with it. */
  answer: 'ok' | 'error' | 'hang';
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides each answer in arrival order (1-based); default: 200. */
  behave: (n: number) => 'ok' | 'error' | 'hang';
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    behave: () => 'ok',
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = receiver.behave(receiver.received.length + 1);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      receiver.received.push({ headers, body: Buffer.concat(chunks).toString('utf8'), answer });
      if (answer === 'hang') return; // never answers: the sender's timeout ends it
      response.writeHead(answer === 'ok' ? 204 : 500).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

/** A clock the test moves by hand: retries and the failing window follow it, not the wall. */
export function manualClock(start = new Date()) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advance: (ms: number) => {
      at += ms;
    },
  };
}

/** Writes a booking and changes it: each statement commits one Change through migration 0005's trigger. */
export async function bookingStory(env: TestEnv, uid: string) {
  await env.sql`insert into cal_bookings (cal_uid, cal_booking_id, status, title)
    values (${uid}, ${`id-${uid}`}, 'scheduled', 'First call')`;
  await env.sql`update cal_bookings set title = 'Second call' where cal_uid = ${uid}`;
  await env.sql`update cal_bookings set status = 'cancelled' where cal_uid = ${uid}`;
}

/** Each booking's Change ids, in order. */
export async function changeIdsByBooking(env: TestEnv): Promise<Map<string, string[]>> {
  const rows = await env.sql<{ id: string; booking_uid: string }[]>`
    select id::text as id, booking_uid from cal_changes where booking_uid is not null order by id`;
  const byUid = new Map<string, string[]>();
  for (const row of rows) byUid.set(row.booking_uid, [...(byUid.get(row.booking_uid) ?? []), row.id]);
  return byUid;
}
