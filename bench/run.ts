import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startOwnRedis } from '@calsync/test-support';
import { benchApi } from './api.ts';
import { benchEndToEnd } from './end-to-end.ts';
import { benchIngest } from './ingest.ts';
import { benchInsights } from './insights.ts';
import { benchLive } from './live.ts';
import { benchOutbound } from './outbound.ts';
import { benchReconcile } from './reconcile.ts';
import { benchReminders } from './reminders.ts';
import { benchStartup } from './startup.ts';
import { signedDeliveries } from './support/deliveries.ts';
import { type BenchResults, formatTable } from './table.ts';

// `pnpm bench`: every server under test runs in a child process, on a fresh `calsync_bench` database and the
// benchmark's own redis-server; each figure is measured in this run next to its baseline.
// `node bench/run.ts startup` (or any of PARTS) measures only those rows and keeps the others of latest.json.
const POOL = 120_000;
const PARTS = [
  'ingest',
  'end_to_end',
  'reconcile',
  'api',
  'startup',
  'reminders',
  'outbound',
  'insights',
  'live',
] as const;
type Part = (typeof PARTS)[number];

const asked = process.argv.slice(2);
for (const part of asked) {
  if (!(PARTS as readonly string[]).includes(part)) {
    console.error(`bench: unknown part "${part}"; the parts are ${PARTS.join(', ')}`);
    process.exit(2);
  }
}
const wanted = (part: Part) => asked.length === 0 || asked.includes(part);
const latestUrl = new URL('./results/latest.json', import.meta.url);
const previous: Partial<BenchResults> =
  asked.length > 0 && existsSync(latestUrl) ? JSON.parse(readFileSync(latestUrl, 'utf8')) : {};

const startedAt = Date.now();
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memory_gb: Math.round(totalmem() / 2 ** 30),
};
console.log(`calsync bench on ${machine.cpus} × ${machine.model}, Node ${process.version}`);
const needsPool = wanted('ingest') || wanted('end_to_end');
if (needsPool) console.log(`generating ${POOL} distinct signed deliveries…`);
const pool = needsPool ? signedDeliveries(POOL) : [];
const redis = await startOwnRedis(); // every figure starts from an empty Redis; the machine's is never written
try {
  const measured: Partial<BenchResults> = {};
  if (wanted('ingest')) {
    console.log('ingest (vs bare Fastify)…');
    measured.ingest = await benchIngest(pool, redis);
  }
  if (wanted('end_to_end')) {
    console.log('end to end…');
    measured.end_to_end = await benchEndToEnd(pool, redis);
  }
  if (wanted('reconcile')) {
    console.log('reconciliation…');
    measured.reconcile = [...(await benchReconcile(10_000, redis)), ...(await benchReconcile(50_000, redis))];
  }
  if (wanted('api')) {
    console.log('api…');
    measured.api = await benchApi(redis);
  }
  if (wanted('startup')) {
    console.log('start-up (ingest alone, all-in-one)…');
    measured.startup = await benchStartup(redis);
  }
  if (wanted('reminders')) {
    console.log('reminders (10,000 due in one minute, two workers)…');
    measured.reminders = await benchReminders(redis);
  }
  if (wanted('outbound')) {
    console.log('outbound webhooks (a backlog to 2 endpoints, then 200 Changes/s)…');
    measured.outbound = await benchOutbound(redis);
  }
  if (wanted('insights')) {
    console.log('insights (one year over 100,000 bookings)…');
    measured.insights = await benchInsights(redis);
  }
  if (wanted('live')) {
    console.log('live (webhook 202 → its Change on the SSE stream, 200/s)…');
    measured.live = await benchLive(redis);
  }
  // A partial run keeps the other rows and the date they were measured on; the rows it measured say when.
  const now = new Date().toISOString();
  const results = {
    ...previous,
    ...(asked.length === 0
      ? { date: now, duration_s: Math.round((Date.now() - startedAt) / 1_000) }
      : { partial_runs: { ...previous.partial_runs, ...Object.fromEntries(asked.map((part) => [part, now])) } }),
    node: process.version,
    machine,
    ...measured,
  } as BenchResults;
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(latestUrl, `${JSON.stringify(results, null, 2)}\n`);
  const table = formatTable(results);
  writeFileSync(new URL('./results/latest.md', import.meta.url), `${table}\n`);
  console.log(`\n${table}\n\nwritten: bench/results/latest.json, bench/results/latest.md`);
} finally {
  await redis.stop();
}
