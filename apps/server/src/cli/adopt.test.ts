import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { AdoptionReport } from '@calsync/db';
import { createOriginalDatabase, type OriginalDatabase } from '@calsync/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const services = inject('calsyncTestServices');
const cliFile = fileURLToPath(new URL('../cli.ts', import.meta.url));
const databases: string[] = [];
let original: OriginalDatabase;

function databaseUrl(name: string): string {
  const url = new URL(services.databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `pnpm calsync …` as the user does: a process of its own, with only the environment it needs. */
async function calsync(
  databaseUrl: string,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return await new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliFile, ...argv],
      { env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, REDIS_URL: services.redisUrl } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Tables, their row counts and a hash of their content: equal before and after means nothing changed. */
async function fingerprint(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname in ('public', 'drizzle') order by 1`;
    const result: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] =
        await sql.unsafe(`select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), ''))
        as h from ${name} t`);
      result[name] = row!.h as string;
    }
    return result;
  } finally {
    await sql.end();
  }
}

beforeAll(async () => {
  const name = `calsync_test_cli_adopt_${randomBytes(4).toString('hex')}`;
  databases.push(name);
  original = await createOriginalDatabase(services.databaseUrl, name, 400);
}, 60_000);

afterAll(async () => {
  const admin = postgres(services.databaseUrl, { max: 1, onnotice: () => {} });
  for (const name of databases) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

// Each test starts the CLI as its own process, which reads and migrates a database: 6 s alone, past 30 s while the
// whole suite runs on two cores.
describe('pnpm calsync adopt', { timeout: 90_000 }, () => {
  it('--check prints what adopting would do, every row it would not adopt as is, and changes nothing', async () => {
    const before = await fingerprint(original.url);
    const text = await calsync(original.url, 'adopt', '--check');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Adoption needed');
    expect(text.stdout).toContain('cal_bookings: 400 rows');
    expect(text.stdout).toContain('policy admins can read bookings');
    for (const booking of original.bookings.filter((b) => !b.expected.adopt)) expect(text.stdout).toContain(booking.id);

    const json = await calsync(original.url, 'adopt', '--check', '--json');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as AdoptionReport;
    expect(report.outcome).toBe('would_adopt');
    const rejects = report.tables.find((t) => t.table === 'cal_bookings')!.rejects;
    expect(rejects.map((r) => r.id).sort()).toEqual(
      original.bookings
        .filter((b) => !b.expected.adopt)
        .map((b) => b.id)
        .sort(),
    );
    expect(await fingerprint(original.url)).toEqual(before);
  });

  it('adopt adopts once; afterwards --check says there is nothing left to adopt', async () => {
    const adopted = await calsync(original.url, 'adopt');
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stdout).toContain('Adopted the original tables');
    expect(adopted.stdout).toMatch(/Reconciliation [0-9a-f-]{36} queued/);
    const again = await calsync(original.url, 'adopt', '--check');
    expect(again.stdout).toContain('Nothing to adopt: calsync already manages this database');
    expect(again.stdout).toContain('cal_bookings_original, cal_event_types_original kept');
  });

  it('--check on a database that does not exist yet has nothing to adopt; a stray argument is a usage error', async () => {
    const missing = await calsync(
      databaseUrl(`calsync_test_missing_${randomBytes(4).toString('hex')}`),
      'adopt',
      '--check',
    );
    expect(missing).toMatchObject({ code: 0, stdout: expect.stringContaining('the database does not exist yet') });
    const stray = await calsync(original.url, 'adopt', 'now');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('adopt takes no arguments');
  });
});
