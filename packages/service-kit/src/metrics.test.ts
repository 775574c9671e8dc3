import { describe, expect, it } from 'vitest';
import { deliveriesTotal, type FinishedJob, jobDuration, observeDeliveryJob, recordDelivery } from './metrics.ts';

async function count(labels: Record<string, string>): Promise<number> {
  const { values } = await deliveriesTotal.get();
  return (
    values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k as keyof typeof v.labels] === x))?.value ?? 0
  );
}

const job = (attemptsMade: number): FinishedJob => ({
  queueName: 'webhooks',
  name: 'apply-delivery',
  processedOn: 1_000,
  finishedOn: 1_250,
  attemptsMade,
  opts: { attempts: 3 },
});

describe('delivery metrics', () => {
  it('counts unknown-looking triggers as "other", so a body cannot add labels at will', async () => {
    recordDelivery('BOOKING_CREATED', 'accepted');
    recordDelivery('booking_created<script>', 'accepted');
    recordDelivery(undefined, 'accepted');
    expect(await count({ trigger: 'BOOKING_CREATED', outcome: 'accepted' })).toBe(1);
    expect(await count({ trigger: 'other', outcome: 'accepted' })).toBe(2);
  });

  it("counts a delivery job under its trigger, and a failure as final only after the job's last attempt", async () => {
    const trigger = 'BOOKING_CANCELLED';
    observeDeliveryJob(job(1), trigger, 'processed');
    observeDeliveryJob(job(1), trigger, 'failed', new Error('db down'));
    observeDeliveryJob(job(3), trigger, 'failed', new Error('db down'));
    const unrecoverable = Object.assign(new Error('bad body'), { name: 'UnrecoverableError' });
    observeDeliveryJob(job(1), trigger, 'failed', unrecoverable);
    expect(await count({ trigger: 'BOOKING_CANCELLED', outcome: 'processed' })).toBe(1);
    expect(await count({ trigger: 'BOOKING_CANCELLED', outcome: 'retried' })).toBe(1);
    expect(await count({ trigger: 'BOOKING_CANCELLED', outcome: 'failed' })).toBe(2);
    const { values } = await jobDuration.get();
    const sum = values.find(
      (v) => v.metricName === 'calsync_job_duration_seconds_sum' && v.labels.outcome === 'completed',
    );
    expect(sum?.value).toBeCloseTo(0.25);
  });
});
