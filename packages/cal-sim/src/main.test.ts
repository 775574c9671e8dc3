import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from '@calsync/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSimEnv } from './env.ts';

const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function run(env: Record<string, string>) {
  const started = spawn(process.execPath, [mainPath], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let output = '';
  started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
  return { child: started, exited, output: () => output };
}

describe('standalone simulator', () => {
  it('starts from the environment, logs its URL and key, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const started = run({ CAL_SIM_PORT: String(port), CAL_SIM_API_KEY: 'cal_test_env', CAL_SIM_BOOKINGS: '30' });
    child = started.child;
    await waitForHttp(`http://127.0.0.1:${port}/_sim/log`);
    const response = await fetch(`http://127.0.0.1:${port}/v2/bookings?take=250`, {
      headers: { authorization: 'Bearer cal_test_env', 'cal-api-version': '2024-08-13' },
    });
    const page = (await response.json()) as { pagination: { totalItems: number } };
    expect(page.pagination.totalItems).toBe(30);
    expect(started.output()).toContain(`http://127.0.0.1:${port}`);
    expect(started.output()).toContain('cal_test_env');
    child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it('exits 1 naming a bad variable', async () => {
    const started = run({ CAL_SIM_RATE_LIMIT: 'lots' });
    child = started.child;
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('CAL_SIM_RATE_LIMIT');
  });

  it('parses defaults and values', () => {
    expect(parseSimEnv({})).toEqual({
      CAL_SIM_PORT: 4010,
      CAL_SIM_HOST: '127.0.0.1',
      CAL_SIM_API_KEY: 'cal_test_sim',
      CAL_SIM_BOOKINGS: 500,
      CAL_SIM_RATE_LIMIT: 120,
      CAL_SIM_RATE_WINDOW_MS: 60_000,
      CAL_SIM_BLOCK_MS: 60_000,
      CAL_SIM_SEED: 1,
      CAL_SIM_SHAPES: 'simple',
    });
    expect(parseSimEnv({ CAL_SIM_SEED: '9', CAL_SIM_PORT: '' })).toMatchObject({ CAL_SIM_SEED: 9, CAL_SIM_PORT: 4010 });
    expect(parseSimEnv({ CAL_SIM_SHAPES: 'real' }).CAL_SIM_SHAPES).toBe('real');
    expect(() => parseSimEnv({ CAL_SIM_SHAPES: 'odd' })).toThrow(/CAL_SIM_SHAPES/);
    expect(() => parseSimEnv({ CAL_SIM_PORT: '70000', CAL_SIM_BLOCK_MS: '0' })).toThrow(
      /CAL_SIM_PORT[\s\S]*CAL_SIM_BLOCK_MS/,
    );
  });
});
