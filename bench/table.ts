import type { ApiResult } from './api.ts';
import type { EndToEndResult } from './end-to-end.ts';
import type { IngestResult } from './ingest.ts';
import type { InsightsResult } from './insights.ts';
import type { LiveResult } from './live.ts';
import type { OutboundResult } from './outbound.ts';
import type { ReconcileResult } from './reconcile.ts';
import type { RemindersResult } from './reminders.ts';
import type { StartupResult } from './startup.ts';

export interface BenchResults {
  date: string;
  node: string;
  machine: { cpus: number; model: string; memory_gb: number };
  ingest: IngestResult;
  end_to_end: EndToEndResult;
  reconcile: ReconcileResult[];
  api: ApiResult;
  startup: StartupResult;
  reminders?: RemindersResult;
  outbound?: OutboundResult;
  insights?: InsightsResult;
  live?: LiveResult;
  /** When `node bench/run.ts <part>…` last measured each part alone (the other rows keep `date`). */
  partial_runs?: Record<string, string>;
}

const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

const reconcileAccount = (c: ReconcileResult) => (c.account === 'new' ? ' (all new)' : ' again (none changed)');
const reconcileCpu = ({ cpu_ms_per_page: cpu, cpu_ceiling_per_min: ceiling }: ReconcileResult) =>
  `; CPU a page: worker ${cpu.worker} ms, PostgreSQL ${cpu.postgres} ms, simulator ${cpu.simulator} ms: ` +
  `these cores could serve at most ${ceiling} requests/min`;

/** The results as a Markdown table (printed, and pasted into the README), each figure with its goal. */
export function formatTable(r: BenchResults): string {
  const { ingest: i, end_to_end: e, api: a } = r;
  const rows: Array<[string, string, string, string]> = [
    [
      'ingest, 64 connections',
      `${i.rps} req/s (bare Fastify ${i.baseline_rps}): ratio ${i.ratio}; p50 ${i.p50_ms} ms, p99 ${i.p99_ms} ms`,
      'ratio ≥ 0.5, p99 ≤ 20 ms',
      verdict(i.ratio >= 0.5 && i.p99_ms <= 20),
    ],
    [
      'ingest, CPU per delivery at 64 connections',
      `ingest ${i.cpu_us_per_delivery.ingest} µs, PostgreSQL ${i.cpu_us_per_delivery.postgres} µs, ` +
        `Redis ${i.cpu_us_per_delivery.redis} µs, load generator ${i.cpu_us_per_delivery.load_generator} µs: ` +
        `${i.cpu_us_per_delivery.total} µs, so ${r.machine.cpus} cores serve at most ${i.cpu_ceiling_per_s}/s ` +
        `(bare Fastify: ${i.baseline_cpu_us_per_request.server} + ${i.baseline_cpu_us_per_request.load_generator} µs)`,
      '—',
      '',
    ],
    [
      `ingest, steady ${i.steady_rate}/s`,
      `p99 ${i.steady_p99_ms} ms (bare Fastify ${i.baseline_steady_p99_ms} ms)`,
      'p99 ≤ 5 ms',
      verdict(i.steady_p99_ms <= 5),
    ],
    [
      `end to end, ${e.events} deliveries`,
      `${e.seconds} s to the last row: ${e.events_per_s} deliveries/s (all acknowledged in ${e.ingest_seconds} s)`,
      '≥ 2,000/s',
      verdict(e.events_per_s >= 2_000),
    ],
    [
      `end to end, steady ${e.steady_rate}/s`,
      `lag acknowledgement → row: p50 ${e.lag_p50_ms} ms, p99 ${e.lag_p99_ms} ms`,
      'p99 ≤ 500 ms',
      verdict(e.lag_p99_ms <= 500),
    ],
    ...r.reconcile.map((c): [string, string, string, string] => [
      `reconcile ${c.bookings} bookings${reconcileAccount(c)}, ${c.budget_per_min}/min`,
      `${c.requests} requests (min ${c.min_requests}), ${c.elapsed_s} s vs floor ${c.floor_s} s: ratio ${c.ratio}; ` +
        `${c.http_429} × 429; worker peak RSS ${c.peak_rss_mb} MB (${c.idle_rss_mb} MB before the run)` +
        reconcileCpu(c),
      'ratio ≤ 1.05, 0 × 429, RSS ≤ 256 MB',
      verdict(c.ratio <= 1.05 && c.http_429 === 0 && c.peak_rss_mb <= 256),
    ]),
    [
      `api, ${a.bookings_rows} booking rows`,
      `bookings list p99: first page ${a.first_page_p99_ms} ms, page 100 ${a.page_100_p99_ms} ms; ` +
        `availability cache hit p99 ${a.availability_hit_p99_ms} ms`,
      '—',
      '',
    ],
    startupRow(r.startup),
    remindersRow(r.reminders),
    outboundRow(r.outbound),
    insightsRow(r.insights),
    liveRow(r.live),
  ];
  return [
    `Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpus} × ${r.machine.model}, ` +
      `${r.machine.memory_gb} GB, Node ${r.node}, PostgreSQL and Redis on the same machine.`,
    '',
    '| benchmark | result | goal | |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function startupRow(s: StartupResult | undefined): [string, string, string, string] {
  if (!s) return ['start-up', 'not measured', '≤ 1,000 ms', ''];
  return [
    `start-up, median of ${s.runs} restarts`,
    `ingest alone ${s.ingest_ms} ms to the first 202 (/healthz ${s.ingest_healthz_ms} ms, CPU ${s.ingest_cpu_ms} ms), ` +
      `all-in-one ${s.all_in_one_ms} ms (/healthz ${s.all_in_one_healthz_ms} ms, CPU ${s.all_in_one_cpu_ms} ms); ` +
      `first run ${s.ingest_first_run_ms} / ${s.all_in_one_first_run_ms} ms; api alone /healthz ${s.api_healthz_ms ?? '–'} ms`,
    '≤ 1,000 ms',
    verdict(s.ingest_ms <= 1_000 && s.all_in_one_ms <= 1_000),
  ];
}

function remindersRow(m: RemindersResult | undefined): [string, string, string, string] {
  if (!m) return ['reminders', 'not measured', 'all within 60 s, none twice', ''];
  return [
    `reminders, ${m.due} due in one minute, ${m.workers} workers`,
    `${m.sent} sent, ${m.duplicates} twice; latest ${m.late_max_s} s after its due time (p99 ${m.late_p99_s} s)`,
    'all within 60 s, none twice',
    verdict(m.sent === m.due && m.duplicates === 0 && m.late_max_s <= 60),
  ];
}

function liveRow(l: LiveResult | undefined): [string, string, string, string] {
  const goal = 'p99 ≤ 250 ms';
  if (!l) return ['live: webhook → SSE', 'not measured', goal, ''];
  return [
    `live: webhook 202 → its Change on the SSE stream, ${l.rate}/s`,
    `p50 ${l.sse_p50_ms} ms, p99 ${l.sse_p99_ms} ms over ${l.deliveries} deliveries` +
      (l.warm_up_p99_ms === undefined ? '' : `; the first 2 s after start: p99 ${l.warm_up_p99_ms} ms`),
    goal,
    verdict(l.sse_p99_ms <= 250),
  ];
}

function insightsRow(n: InsightsResult | undefined): [string, string, string, string] {
  const goal = 'p99 ≤ 150 ms';
  if (!n) return ['insights', 'not measured', goal, ''];
  return [
    `insights, one year (${n.weeks} weeks) over ${n.bookings_rows.toLocaleString('en')} bookings`,
    `p50 ${n.p50_ms} ms, p99 ${n.p99_ms} ms`,
    goal,
    verdict(n.p99_ms <= 150),
  ];
}

function outboundRow(o: OutboundResult | undefined): [string, string, string, string] {
  const goal = '≥ 1,000 deliveries/s; lag p99 ≤ 200 ms at 200/s';
  if (!o) return ['outbound webhooks', 'not measured', goal, ''];
  return [
    `outbound webhooks, ${o.burst_deliveries} deliveries to ${o.endpoints} endpoints`,
    `${o.deliveries_per_s} deliveries/s; commit → receiver p50 ${o.lag_p50_ms} ms, p99 ${o.lag_p99_ms} ms at ${o.rate}/s`,
    goal,
    verdict(o.deliveries_per_s >= 1_000 && o.lag_p99_ms <= 200),
  ];
}
