import { migrate } from '@calsync/db';
import postgres from 'postgres';

/** The PostgreSQL server the benchmarks use: TEST_DATABASE_URL's or DATABASE_URL's server, else the local one. */
export const serverUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export const BENCH_DATABASE = 'calsync_bench';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Drops and recreates a bench database (`calsync_bench` unless a part names its own), migrated; returns its URL. */
export async function freshDatabase(database = BENCH_DATABASE): Promise<string> {
  const admin = postgres(withDatabase(serverUrl, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${database}" with (force)`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, database);
  await migrate(url);
  return url;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
