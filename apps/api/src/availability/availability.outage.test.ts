import { closedPortUrl, useTestEnv } from '@calsync/test-support';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { buildTestApi, mirrorEventTypes } from '../../test/app.ts';

const env = useTestEnv();

describe('cal-availability when Redis is down', () => {
  it('answers 503 service_unavailable quickly instead of hanging or a 500', async () => {
    await mirrorEventTypes(env, ['1']);
    const deadRedis = new Redis(await closedPortUrl('redis'), { maxRetriesPerRequest: 0, lazyConnect: true });
    deadRedis.on('error', () => {});
    const app = await buildTestApi(
      { ...env, redis: deadRedis },
      { CAL_API_URL: 'http://127.0.0.1:9', CAL_API_KEY: 'cal_test_x' },
    );
    try {
      const answer = await app.inject({ url: '/cal-availability?eventTypeId=1&dateFrom=2031-01-06&dateTo=2031-01-07' });
      expect(answer.statusCode).toBe(503);
      expect(answer.json().error).toEqual({
        code: 'service_unavailable',
        message: 'availability is unavailable right now; try again shortly',
      });
    } finally {
      await app.close();
      deadRedis.disconnect();
    }
  });
});
