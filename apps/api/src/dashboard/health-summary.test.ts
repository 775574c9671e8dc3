import { useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { leaveFailedDeliveryJob } from '../../test/failed-job.ts';
import { type HealthSummary, loadHealthSummary } from './health-summary.ts';
import { healthStrip } from './views/health-strip.ts';

const env = useTestEnv();

describe('the health strip', () => {
  it('counts a failed delivery whose only copy is a failed job in Redis, and says whether Redis is durable', async () => {
    await leaveFailedDeliveryJob(env, 'd'.repeat(64));
    const health = await loadHealthSummary({ ...env, rateLimit: 100 });
    expect(health).toMatchObject({ failedDeliveries: 1, failedDeliveriesWithoutRow: 1 });
    expect(typeof health.redisDurability.appendonly).toBe('string');
    expect(health.redisDurability.durable === true).toBe(health.redisDurability.warning === null);
  });
});

describe('the strip as rendered', () => {
  const base: HealthSummary = {
    webhooksLast24h: 0,
    failedDeliveries: 0,
    failedDeliveriesWithoutRow: 0,
    redisDurability: { appendonly: 'yes', maxmemoryPolicy: 'noeviction', durable: true, warning: null },
    pendingDeliveries: 0,
    queueLagSeconds: 0,
    lastBookingsSync: null,
    lastReconcile: null,
    lastEventTypesSync: null,
    reconcileCorrections: null,
    budget: null,
  };

  it('warns about a Redis that may lose deliveries, and says nothing about a durable one', () => {
    const warning = 'Redis may lose acknowledged deliveries (appendonly is no: a restart loses the last writes)';
    const volatile = String(
      healthStrip({ ...base, redisDurability: { ...base.redisDurability, appendonly: 'no', durable: false, warning } }),
    );
    expect(volatile).toContain('Redis durability');
    expect(volatile).toContain('appendonly is no');
    expect(String(healthStrip(base))).not.toContain('Redis durability');
  });
});
