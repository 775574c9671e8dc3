import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitUntil } from '@calsync/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startedByPackageManager } from './shutdown.ts';

const fixture = fileURLToPath(new URL('../test/shutdown-server-process.ts', import.meta.url));
// How long a server must keep answering once its parent is gone: the old parent watch ended it within a second.
const OUTLIVES_PARENT_MS = 3_000;
const leftovers: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanUp of leftovers.splice(0)) await cleanUp();
});

/** A launcher (shell or pnpm) whose output is collected; the server it starts writes to the same pipe. */
interface Launch {
  launcher: ChildProcess;
  output: () => string;
  /** Resolves once every process holding the pipe (the launcher and the server) has ended. */
  allEnded: Promise<void>;
}

function launch(command: string, args: string[], options: { cwd?: string; env: Record<string, string> }): Launch {
  const launcher = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  launcher.stdout?.on('data', (chunk) => (output += chunk));
  launcher.stderr?.on('data', (chunk) => (output += chunk));
  const allEnded = once(launcher, 'close').then(() => undefined);
  leftovers.push(() => launcher.exitCode === null && launcher.signalCode === null && launcher.kill('SIGKILL'));
  return { launcher, output: () => output, allEnded };
}

/** The server's pid, once it listens; it is killed after the test whatever happens. */
async function serverPid(launched: Launch): Promise<number> {
  const output = await waitUntil('the server to print its pid', launched.output, (out) => /^pid \d+$/m.test(out));
  const pid = Number(/^pid (\d+)$/m.exec(output)![1]);
  leftovers.push(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return pid;
}

async function parentPid(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Field 4 of /proc/<pid>/stat, after the command name in parentheses.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Waits until `pid` has been re-parented: its parent `parent` has exited (the old watch's trigger). */
async function waitForNewParent(pid: number, parent: number) {
  await waitUntil(
    `the server's parent ${parent} to exit`,
    () => parentPid(pid),
    (current) => current !== parent,
  );
}

async function expectHealthyFor(port: number, ms: number, launched: Launch) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    if (status !== 200) throw new Error(`/healthz answered ${status}; output:\n${launched.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectCleanExitOnSigterm(pid: number, launched: Launch) {
  process.kill(pid, 'SIGTERM');
  await waitUntil('the server to exit after SIGTERM', launched.output, (out) => /^exit \d+$/m.test(out), {
    timeoutMs: 10_000,
  });
  await launched.allEnded;
  expect(launched.output()).toMatch(/^exit 0$/m);
}

// Each deploy-style launch leaves the server behind a shell that waits for one line on stdin, so the test decides
// when the parent goes away: after the server is up, which is when the parent watch would have been armed.
const deployLaunches = {
  setsid: 'setsid "$NODE" "$FIXTURE" "$PORT" & read _',
  'a double fork (the intermediate shell exits)': `sh -c '"$NODE" "$FIXTURE" "$PORT" & read _'`,
  'nohup … &': 'nohup "$NODE" "$FIXTURE" "$PORT" & read _',
};

describe('a server started in the background by a deploy script that then exits', () => {
  for (const [how, script] of Object.entries(deployLaunches)) {
    it(`keeps running after its parent exited (${how}), until SIGTERM ends it with exit 0`, async () => {
      const port = await freePort();
      const env = { PATH: process.env.PATH ?? '', NODE: process.execPath, FIXTURE: fixture, PORT: String(port) };
      const launched = launch('sh', ['-c', script], { env });
      const pid = await serverPid(launched);
      const parent = await parentPid(pid);

      launched.launcher.stdin?.end('\n');
      await once(launched.launcher, 'exit');
      await waitForNewParent(pid, parent);

      await expectHealthyFor(port, OUTLIVES_PARENT_MS, launched);
      await expectCleanExitOnSigterm(pid, launched);
    });
  }
});

describe('a server started by `pnpm start`', () => {
  it('closes and exits 0 once a SIGTERM has ended pnpm, which does not pass it on', async () => {
    const port = await freePort();
    const project = await mkdtemp(join(tmpdir(), 'calsync-pnpm-start-'));
    leftovers.push(() => rm(project, { recursive: true, force: true }));
    const start = `${JSON.stringify(process.execPath)} ${JSON.stringify(fixture)} ${port}`;
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'pnpm-start-probe', private: true, scripts: { start } }),
    );
    const launched = launch('pnpm', ['start'], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '', HOME: project, npm_config_update_notifier: 'false' },
    });
    await serverPid(launched);

    // pnpm ends the shell it runs the script in, and the server, left behind, only sees its parent go away.
    launched.launcher.kill('SIGTERM');
    await waitUntil('the server to exit after pnpm ended', launched.output, (out) => /^exit \d+$/m.test(out), {
      timeoutMs: 10_000,
    });
    await launched.allEnded;
    expect(launched.output()).toMatch(/^parent process exited: draining and closing$/m);
    expect(launched.output()).toMatch(/^exit 0$/m);
  });
});

describe('startedByPackageManager', () => {
  it('is true only when a package manager runs the process as a script', () => {
    expect(startedByPackageManager({ npm_lifecycle_event: 'start', npm_config_user_agent: 'pnpm/12.4.2' })).toBe(true);
    expect(startedByPackageManager({ PATH: '/usr/bin' })).toBe(false);
  });
});
