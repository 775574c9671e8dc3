import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Sends `signal` (SIGKILL by default) unless the process has already ended, and waits for its exit. */
export async function killAndWait(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill(signal);
  await exited;
}

/** A Node child process whose output is collected, for a failure message or an assertion. */
export interface NodeProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output: () => string;
  /** Only what it printed on stderr. */
  stderr: () => string;
  /** Resolves with the exit code (null when a signal ended it) once its output is complete. */
  exited: Promise<number | null>;
}

/**
 * Runs a `.ts` entry point with this Node (type stripping) and exactly `env` plus PATH: nothing else of the test
 * process's environment leaks in, so the child's configuration is what the test says.
 */
export function spawnNode(file: string, env: Record<string, string | undefined>, args: string[] = []): NodeProcess {
  const child = spawn(process.execPath, [file, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  // 'close', not 'exit': by then stdout and stderr are drained, so `output()` holds the last words too.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, stderr: () => stderr, exited };
}

/**
 * Runs `checks` against a started process. When they fail, the process is killed and its output is added to the
 * error; when they pass, it gets SIGTERM and this resolves with its exit code (0 after a clean drain).
 */
export async function checkThenTerminate(process: NodeProcess, checks: () => Promise<void>): Promise<number | null> {
  try {
    await checks();
  } catch (error) {
    await killAndWait(process.child);
    throw new Error(`${(error as Error).message}\nprocess output:\n${process.output()}`, { cause: error });
  }
  process.child.kill('SIGTERM');
  return await process.exited;
}

/** A process's peak resident set size so far (VmHWM), in MB; 0 once it has ended. */
export function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}
