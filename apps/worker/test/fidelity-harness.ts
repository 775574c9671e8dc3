import { type CalSimOptions, type Delivery, sendDelivery } from '@calsync/cal-sim';
import { type CalBooking, type CalSyncRun, calBookingAttendees, calBookings, type SyncKind } from '@calsync/db';
import type { TestEnv } from '@calsync/test-support';
import { asc, eq } from 'drizzle-orm';
import { startPipeline, TEST_SECRET, waitForEvents } from './pipeline-harness.ts';
import { type SyncHarness, startSyncHarness } from './sync-harness.ts';

// Test support for the fidelity tests (not a test file): one simulated Cal.com account, the real webhook pipeline
// (signed HTTP → ingest → queue → worker) and the real sync (simulator API → cal-client → worker) on one database.

export interface Fidelity {
  sim: SyncHarness['sim'];
  harness: SyncHarness;
  /** Sends each delivery over HTTP, signed, as Cal.com does (one at a time unless `concurrent`), and waits until applied. */
  deliver: (
    deliveries: Delivery[],
    options?: { concurrent?: boolean },
  ) => Promise<Array<{ id: string; status: string }>>;
  /** Requests a run of `kind` and waits until it finished. */
  sync: (kind: SyncKind, timeoutMs?: number) => Promise<CalSyncRun>;
  booking: (uid: string) => Promise<CalBooking>;
  /** The booking's attendee rows in arrival order. */
  attendees: (uid: string) => Promise<Array<typeof calBookingAttendees.$inferSelect>>;
  close: () => Promise<void>;
}

/** Both halves of calsync against one simulator; the simulator's rate limit is generous unless `sim` says otherwise. */
export async function startFidelity(env: TestEnv, sim: CalSimOptions = {}): Promise<Fidelity> {
  const harness = await startSyncHarness(env, { rateLimit: 1_000, windowMs: 1_000, sim });
  await harness.startWorker();
  const pipeline = await startPipeline(env);

  async function deliver(deliveries: Delivery[], options: { concurrent?: boolean } = {}) {
    const answers = options.concurrent
      ? await Promise.all(deliveries.map((d) => sendDelivery(pipeline.url, d, TEST_SECRET)))
      : await sequential(deliveries, (d) => sendDelivery(pipeline.url, d, TEST_SECRET));
    const refused = answers.find((answer) => answer.status !== 202);
    if (refused) throw new Error(`ingest answered ${refused.status}: ${refused.body}`);
    return await waitForEvents(
      env,
      answers.map((answer) => JSON.parse(answer.body).id as string),
    );
  }

  async function booking(uid: string) {
    const [row] = await env.db.select().from(calBookings).where(eq(calBookings.calUid, uid));
    if (!row) throw new Error(`no booking row for uid ${uid}`);
    return row;
  }

  return {
    sim: harness.sim,
    harness,
    deliver,
    sync: async (kind, timeoutMs) => await harness.finished((await harness.request(kind)).id, timeoutMs),
    booking,
    attendees: async (uid) =>
      await env.db
        .select()
        .from(calBookingAttendees)
        .where(eq(calBookingAttendees.bookingUid, uid))
        .orderBy(asc(calBookingAttendees.position)),
    close: async () => {
      await pipeline.close();
      await harness.close();
    },
  };
}

async function sequential<T, R>(items: T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await each(item));
  return out;
}
