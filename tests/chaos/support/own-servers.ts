import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@calsync/test-support';

// Servers a suite starts for itself, so that it may flush or stop them: the machine's shared PostgreSQL and Redis
// are never touched.

export interface OwnPostgres {
  /** URL of database `postgres` on this server. */
  url: string;
  start: () => Promise<void>;
  /** Fast shutdown: open connections are cut, like a crash from the clients' side. */
  stop: () => Promise<void>;
  destroy: () => Promise<void>;
}

/** A throwaway PostgreSQL cluster (initdb as the `postgres` user) in a fresh /tmp folder, on a free port. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'calsync-chaos-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asPostgres = async (command: string, args: string[]) =>
    void (await run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]));
  execFileSync(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      join(bin, 'initdb'),
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ],
    { stdio: 'pipe' },
  );
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', options, 'start']);
  const stop = () => asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => {}); // already stopped
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const run = promisify(execFile);

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}
