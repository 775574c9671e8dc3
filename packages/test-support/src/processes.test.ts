import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkThenTerminate, killAndWait, spawnNode } from './processes.ts';
import { waitUntil } from './wait-until.ts';

const dir = mkdtempSync(join(tmpdir(), 'calsync-test-support-'));
function script(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

describe('spawnNode', () => {
  it('runs a .ts file with only the given environment and PATH, collecting its output and exit code', async () => {
    const file = script(
      'talk.ts',
      `const greeting: string = process.env.GREETING ?? 'none';
      console.log('out', greeting, process.env.HOME ?? 'no-home', typeof process.env.PATH);
      console.error('err', greeting);
      process.exitCode = 3;`,
    );
    const child = spawnNode(file, { GREETING: 'hello' });
    expect(await child.exited).toBe(3);
    expect(child.output()).toContain('out hello no-home string');
    expect(child.output()).toContain('err hello');
    expect(child.stderr()).toBe('err hello\n');
  });
});

describe('killAndWait', () => {
  it('ends a running process and returns once it has exited; a second call is a no-op', async () => {
    const child = spawnNode(script('sleep.ts', 'setInterval(() => {}, 1_000);'), {});
    await killAndWait(child.child, 'SIGTERM');
    expect(child.child.signalCode).toBe('SIGTERM');
    await killAndWait(child.child);
    expect(await child.exited).toBeNull();
  });
});

describe('checkThenTerminate', () => {
  const server = () =>
    script(
      'serve.ts',
      // The handler first: a parent that reads "serving" may send SIGTERM at once.
      `process.on('SIGTERM', () => { console.log('draining'); process.exit(0); });
      console.log('serving');
      setInterval(() => {}, 1_000);`,
    );

  it('sends SIGTERM after the checks pass and resolves with the exit code', async () => {
    const child = spawnNode(server(), {});
    const code = await checkThenTerminate(child, async () => {
      await waitUntil('serving', () => child.output().includes('serving'), undefined, { intervalMs: 10 });
    });
    expect(code).toBe(0);
    expect(child.output()).toContain('draining');
  });

  it('kills the process when a check fails and adds its output to the error', async () => {
    const child = spawnNode(server(), {});
    const failing = checkThenTerminate(child, async () => {
      await waitUntil('serving', () => child.output().includes('serving'), undefined, { intervalMs: 10 });
      throw new Error('the check failed');
    });
    await expect(failing).rejects.toThrow(/the check failed\nprocess output:\nserving/);
    expect(child.child.signalCode).toBe('SIGKILL');
  });
});
