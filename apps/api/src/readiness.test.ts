import { applyDeliveryJob, producerConnection, queueNames } from '@calsync/jobs';
import { useTestEnv } from '@calsync/test-support';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, buildTestApi } from '../test/app.ts';

const env = useTestEnv();
let app: FastifyInstance;
let webhooks: Queue;

beforeAll(async () => {
  app = await buildTestApi(env);
  webhooks = new Queue(queueNames.webhooks, {
    connection: producerConnection(env.redisUrl, { failFast: false }),
    prefix: env.redisPrefix,
  });
});
afterAll(async () => {
  await app?.close();
  await webhooks?.close();
});

describe('/readyz details', () => {
  it('reports queue lag and the age of the last successful sync of each kind', async () => {
    const deliveryId = 'a'.repeat(64);
    await webhooks.add(
      applyDeliveryJob.name,
      { deliveryId, rawBody: '{}', receivedAt: new Date().toISOString() },
      { jobId: deliveryId, timestamp: Date.now() - 90_000 },
    );
    await env.sql`insert into cal_sync_runs (kind, trigger, status, finished_at)
      values ('bookings_sync', 'schedule', 'succeeded', now() - interval '2 minutes'),
             ('bookings_sync', 'schedule', 'succeeded', now() - interval '1 hour'),
             ('reconcile', 'schedule', 'failed', now())`;

    const answer = await app.inject({ url: '/readyz', headers: adminHeaders });
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(body.status).toBe('ready');
    expect(body.queues.webhooks).toMatchObject({ waiting: 1, active: 0, failed: 0 });
    expect(body.queues.webhooks.oldest_waiting_age_s).toBeGreaterThanOrEqual(90);
    expect(body.queues.sync).toMatchObject({ waiting: 0, oldest_waiting_age_s: 0 });
    expect(Object.keys(body.last_successful_sync)).toEqual(['bookings_sync']);
    expect(body.last_successful_sync.bookings_sync.age_s).toBeGreaterThanOrEqual(119);
    expect(body.last_successful_sync.bookings_sync.age_s).toBeLessThan(600);
  });
});
