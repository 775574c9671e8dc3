import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startOwnRedis } from '@calsync/test-support';
import { benchApi } from './api.ts';
import { benchEndToEnd } from './end-to-end.ts';
import { benchIngest } from './ingest.ts';
import { benchReconcile } from './reconcile.ts';
import { signedDeliveries } from './support/deliveries.ts';
import { formatTable } from './table.ts';

// `pnpm bench`: every server under test runs in a child process, on a fresh `calsync_bench` database and the
// benchmark's own redis-server; each figure is measured in this run next to its baseline.
const POOL = 120_000;

const startedAt = Date.now();
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memory_gb: Math.round(totalmem() / 2 ** 30),
};
console.log(`calsync bench on ${machine.cpus} × ${machine.model}, Node ${process.version}`);
console.log(`generating ${POOL} distinct signed deliveries…`);
const pool = signedDeliveries(POOL);
const redis = await startOwnRedis(); // every figure starts from an empty Redis; the machine's is never written
try {
  console.log('ingest (vs bare Fastify)…');
  const ingest = await benchIngest(pool, redis);
  console.log('end to end…');
  const endToEnd = await benchEndToEnd(pool, redis);
  console.log('reconciliation…');
  const reconcile = [await benchReconcile(10_000, redis), await benchReconcile(50_000, redis)];
  console.log('api…');
  const api = await benchApi(redis);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    machine,
    duration_s: Math.round((Date.now() - startedAt) / 1_000),
    ingest,
    end_to_end: endToEnd,
    reconcile,
    api,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  const table = formatTable(results);
  writeFileSync(new URL('./results/latest.md', import.meta.url), `${table}\n`);
  console.log(`\n${table}\n\nwritten: bench/results/latest.json, bench/results/latest.md`);
} finally {
  await redis.stop();
}
