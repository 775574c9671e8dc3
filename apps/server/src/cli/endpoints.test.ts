import { useTestEnv } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import type { Output } from './output.ts';
import { runCli } from './run-cli.ts';

const env = useTestEnv();

async function cli(vars: Record<string, string>, ...argv: string[]) {
  const lines: string[] = [];
  const output: Output = { out: (t) => lines.push(t), err: (t) => lines.push(t), isTty: false };
  const code = await runCli(argv, { env: { DATABASE_URL: env.databaseUrl, ...vars }, output });
  return { code, text: lines.join('\n') };
}

const allow = { OUTBOUND_ALLOW_PRIVATE: 'true' };

describe('pnpm calsync endpoints', () => {
  it('adds (printing the secret once), lists, pauses, rotates and deletes an endpoint', async () => {
    const added = await cli(allow, 'endpoints', 'add', 'http://127.0.0.1:9/hooks', '--types', 'booking.cancelled');
    expect(added.code).toBe(0);
    const id = /^added (\S+)/.exec(added.text)?.[1];
    expect(added.text).toMatch(/secret \(shown only now\): whsec_/);
    const listed = await cli({}, 'endpoints', 'list');
    expect(listed.text).toContain(`${id}  active  http://127.0.0.1:9/hooks  booking.cancelled`);
    expect(listed.text).not.toContain('whsec_');
    expect((await cli({}, 'endpoints', 'pause', id!)).text).toBe(`${id} is paused`);
    const json = JSON.parse((await cli({}, 'endpoints', 'list', '--json')).text);
    expect(json.endpoints[0]).toMatchObject({ id, status: 'paused' });
    expect((await cli({}, 'endpoints', 'rotate', id!)).text).toMatch(/^new secret \(shown only now\): whsec_/);
    expect((await cli({}, 'endpoints', 'delete', id!)).code).toBe(0);
    expect(await cli({}, 'endpoints', 'delete', id!)).toEqual({
      code: 1,
      text: `calsync endpoints: no endpoint ${id}`,
    });
  });

  it('refuses a private URL without OUTBOUND_ALLOW_PRIVATE and bad types, naming them (exit 2)', async () => {
    const privateUrl = await cli({}, 'endpoints', 'add', 'http://127.0.0.1:9/hooks');
    expect(privateUrl.code).toBe(2);
    expect(privateUrl.text).toMatch(/^calsync endpoints: url: .*private or loopback address/);
    const badTypes = await cli(allow, 'endpoints', 'add', 'http://127.0.0.1:9/', '--types', 'booking.lost');
    expect(badTypes).toEqual({ code: 2, text: 'calsync endpoints: types has unknown change types: booking.lost' });
    const bad = await cli({}, 'endpoints', 'explode');
    expect(bad.code).toBe(2);
    expect(bad.text).toMatch(/unknown endpoints action "explode"/);
  });

  it('retries a failed delivery, and says when it is not failed', async () => {
    const [endpoint] = await env.sql<{ id: string }[]>`
      insert into outbound_endpoints (url, secret) values ('https://crm.example.com/', 'whsec_AAAA') returning id`;
    const [delivery] = await env.sql<{ id: string }[]>`
      insert into outbound_deliveries (endpoint_id, change_id, order_key, status, attempts, next_attempt_at)
      values (${endpoint!.id}, 1, 'booking:x', 'failed', 8, now()) returning id`;
    const retried = await cli({}, 'endpoints', 'retry', endpoint!.id, delivery!.id);
    expect(retried).toEqual({ code: 0, text: `delivery ${delivery!.id} queued again` });
    const again = await cli({}, 'endpoints', 'retry', endpoint!.id, delivery!.id);
    expect(again).toEqual({ code: 1, text: 'calsync endpoints: only a failed delivery can be retried' });
  });
});
