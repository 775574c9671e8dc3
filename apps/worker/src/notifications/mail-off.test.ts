import { Writable } from 'node:stream';
import { resourcesOf, useTestEnv } from '@calsync/test-support';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { insertBooking } from '../../test/notifications-harness.ts';
import { loadWorkerEnv } from '../env.ts';
import { startNotifications } from './index.ts';

const env = useTestEnv();

describe('without SMTP_URL', () => {
  it('says once that e-mail is off and schedules nothing', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    await insertBooking(env.sql, {
      uid: 'no-mail',
      start: new Date(Date.now() + 3_600_000),
      attendees: [{ email: 'x@example.com' }],
    });
    const part = await startNotifications({ env: loadWorkerEnv({}), resources: resourcesOf(env), logger });
    await part.close();
    const said = lines.filter((line) => line.includes('e-mail is off'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('SMTP_URL is not set');
    expect(await env.redis.keys(`${env.redisPrefix}:notifications:*`)).toEqual([]);
    expect(await env.sql`select id from notifications`).toEqual([]);
  });
});
