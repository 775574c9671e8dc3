import { join } from 'node:path';
import { spawnNode, useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';

const env = useTestEnv();
const main = join(import.meta.dirname, '..', 'main.js');

describe('the worker with bad mail settings', () => {
  it.each([
    [{ SMTP_URL: 'mailto:hello@example.com', MAIL_FROM: 'hello@example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'hello at example' }, 'MAIL_FROM'],
    [{ SMTP_URL: 'smtp://127.0.0.1:2525' }, 'MAIL_FROM: required when SMTP_URL is set'],
  ])('refuses to start with %o, naming the variable', async (vars, named) => {
    const worker = spawnNode(main, { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, ...vars });
    expect(await worker.exited).toBe(1);
    expect(worker.stderr()).toContain(`calsync worker: invalid configuration:\n  ${named}`);
  });
});
