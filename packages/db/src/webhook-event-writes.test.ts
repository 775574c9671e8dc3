import { useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { transaction } from './transaction.ts';
import {
  type DeliveryRowRecord,
  insertDeliveryRows,
  lockDeliveryRow,
  markDeliveryApplied,
  recordDeliveryFailure,
  resetDeliveryForReplay,
  storeDeliveryIfMissing,
} from './webhook-event-writes.ts';

const env = useTestEnv();

function record(id: string): DeliveryRowRecord {
  return {
    id,
    trigger_event: 'BOOKING_CREATED',
    booking_uid: `uid-${id}`,
    sent_at: null,
    raw_body: `{"id":"${id}"}`,
    body_encoding: 'utf8',
    received_at: new Date().toISOString(),
  };
}

async function rowOf(id: string) {
  const [row] = await env.sql<Array<{ status: string; attempts: number; error: string | null }>>`
    select status, attempts, error from cal_webhook_events where id = ${id}`;
  return row;
}

describe('cal_webhook_events writes', () => {
  it('ingest reports only the rows it stored; a copy is a duplicate, a row the worker stored first is not', async () => {
    expect(await insertDeliveryRows(env.db, [record('w1'), record('w2')])).toEqual(new Set(['w1', 'w2']));
    expect(await insertDeliveryRows(env.db, [record('w1')])).toEqual(new Set());

    const early = record('w3');
    await transaction(env.db, (tx) =>
      storeDeliveryIfMissing(tx, {
        id: early.id,
        triggerEvent: early.trigger_event,
        bookingUid: early.booking_uid,
        sentAt: null,
        rawBody: early.raw_body,
        bodyEncoding: early.body_encoding,
        receivedAt: early.received_at,
      }),
    );
    expect(await insertDeliveryRows(env.db, [early])).toEqual(new Set(['w3']));
  });

  it('a failure counts its attempt, fails the row at the limit, and leaves an applied row alone', async () => {
    await insertDeliveryRows(env.db, [record('f1'), record('f2')]);
    const maxAttempts = 2;
    await transaction(env.db, async (tx) => {
      expect(await recordDeliveryFailure(tx, 'f1', 'down', maxAttempts)).toEqual({ status: 'received', attempts: 1 });
      expect(await recordDeliveryFailure(tx, 'f1', 'down', maxAttempts)).toEqual({ status: 'failed', attempts: 2 });
      expect(await lockDeliveryRow(tx, 'f2')).toMatchObject({ status: 'received' });
      await markDeliveryApplied(tx, 'f2', 'processed');
      expect(await recordDeliveryFailure(tx, 'f2', 'late', maxAttempts)).toBeUndefined();
    });
    expect(await rowOf('f1')).toEqual({ status: 'failed', attempts: 2, error: 'down' });
    expect(await rowOf('f2')).toEqual({ status: 'processed', attempts: 1, error: null });
  });

  it('a replay puts a failed row back to received with no attempts and no error', async () => {
    await insertDeliveryRows(env.db, [record('r1')]);
    await transaction(env.db, (tx) => recordDeliveryFailure(tx, 'r1', 'bad', 1));
    expect(await resetDeliveryForReplay(env.db, 'r1')).toMatchObject({ rawBody: '{"id":"r1"}' });
    expect(await rowOf('r1')).toEqual({ status: 'received', attempts: 0, error: null });
    expect(await resetDeliveryForReplay(env.db, 'missing')).toBeUndefined();
  });
});
