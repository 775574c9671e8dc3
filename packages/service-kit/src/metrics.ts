import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one Prometheus registry of a calsync process. Ingest, worker and api increment the metrics below; the api's
 * `/metrics` route fills the scrape-time gauges (queue counts, bookings by status, budget) and serializes it.
 */
export const metricsRegistry = new Registry();

const registers = [metricsRegistry];

/** Deliveries by trigger and outcome: `accepted`/`duplicate` at ingest, `processed`/`ignored`/`failed` in the worker. */
export const deliveriesTotal = new Counter({
  name: 'calsync_webhook_deliveries_total',
  help: 'Webhook deliveries by trigger event and outcome',
  labelNames: ['trigger', 'outcome'] as const,
  registers,
});

/** Time from request start to the 202 (or refusal) at POST /cal-webhook. */
export const ingestLatency = new Histogram({
  name: 'calsync_ingest_duration_seconds',
  help: 'Time to accept a webhook delivery (request received to answer sent)',
  labelNames: ['status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers,
});

export const queueJobs = new Gauge({
  name: 'calsync_queue_jobs',
  help: 'BullMQ jobs by queue and state (collected at scrape)',
  labelNames: ['queue', 'state'] as const,
  registers,
});

export const jobDuration = new Histogram({
  name: 'calsync_job_duration_seconds',
  help: 'BullMQ job processing time by queue, job name and outcome',
  labelNames: ['queue', 'name', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers,
});

export const calRequestsTotal = new Counter({
  name: 'calsync_cal_requests_total',
  help: 'Cal.com API requests by endpoint family and HTTP status',
  labelNames: ['family', 'status'] as const,
  registers,
});

export const calRequestDuration = new Histogram({
  name: 'calsync_cal_request_duration_seconds',
  help: 'Cal.com API request time (excluding the wait for a budget token)',
  labelNames: ['family'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const calBudgetWait = new Histogram({
  name: 'calsync_cal_budget_wait_seconds',
  help: 'Time a Cal.com request waited for a token of the shared rate budget',
  labelNames: ['family'] as const,
  buckets: [0, 0.01, 0.1, 0.5, 1, 5, 15, 30, 60],
  registers,
});

export const calBudgetRemaining = new Gauge({
  name: 'calsync_cal_budget_remaining',
  help: 'Cal.com requests left in the current one-minute budget window (collected at scrape)',
  registers,
});

export const syncRunDuration = new Histogram({
  name: 'calsync_sync_run_duration_seconds',
  help: 'Sync and reconciliation run time by kind and final status',
  labelNames: ['kind', 'status'] as const,
  buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
  registers,
});

export const syncRowsTotal = new Counter({
  name: 'calsync_sync_rows_total',
  help: 'Rows written by syncs, by kind and change (created, updated, unchanged)',
  labelNames: ['kind', 'change'] as const,
  registers,
});

export const bookingsByStatus = new Gauge({
  name: 'calsync_bookings',
  help: 'Bookings in cal_bookings by status (collected at scrape)',
  labelNames: ['status'] as const,
  registers,
});

// A trigger label comes from a signed body, but a label per unknown string would still grow without bound.
const triggerLabel = /^[A-Z][A-Z_]{1,48}$/;

/** Counts one delivery; a trigger that does not look like a Cal.com trigger is counted as `other`. */
export function recordDelivery(trigger: string | null | undefined, outcome: string): void {
  const label = trigger && triggerLabel.test(trigger) ? trigger : 'other';
  deliveriesTotal.inc({ trigger: label, outcome });
}

/** What cal-client's `onRequest` callback reports after each Cal.com request. */
export interface CalRequestReport {
  family: string;
  status: number | string;
  durationMs: number;
  waitedMs?: number;
}

/** Pass as cal-client's `onRequest`: counts the request and observes its time and its wait for the budget. */
export function observeCalRequest(report: CalRequestReport): void {
  calRequestsTotal.inc({ family: report.family, status: String(report.status) });
  calRequestDuration.observe({ family: report.family }, report.durationMs / 1000);
  if (report.waitedMs !== undefined) calBudgetWait.observe({ family: report.family }, report.waitedMs / 1000);
}

/** The timing fields of a finished BullMQ job (structural, so service-kit needs no BullMQ). */
export interface FinishedJob {
  queueName: string;
  name: string;
  processedOn?: number;
  finishedOn?: number;
  attemptsMade: number;
  opts: { attempts?: number };
}

/** Pass to a worker's `completed` / `failed` events: observes the job's processing time. */
export function observeJob(job: FinishedJob, outcome: 'completed' | 'failed'): void {
  const ms = (job.finishedOn ?? Date.now()) - (job.processedOn ?? job.finishedOn ?? Date.now());
  jobDuration.observe({ queue: job.queueName, name: job.name, outcome }, Math.max(ms, 0) / 1000);
}

/**
 * For the webhook worker's `completed` (outcome = the apply result's status) and `failed` events: the job's time,
 * and the delivery counted by trigger and outcome. A failed attempt that will be retried counts as `retried`.
 */
export function observeDeliveryJob(
  job: FinishedJob,
  trigger: string | undefined,
  outcome: string,
  error?: Error,
): void {
  const failed = outcome === 'failed';
  const final = !failed || job.attemptsMade >= (job.opts.attempts ?? 1) || error?.name === 'UnrecoverableError';
  observeJob(job, failed ? 'failed' : 'completed');
  recordDelivery(trigger, final ? outcome : 'retried');
}

/** Observes one finished sync run (call once, when it ends). */
export function observeSyncRun(run: {
  kind: string;
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  rowsCreated: number;
  rowsUpdated: number;
  rowsUnchanged: number;
}): void {
  if (run.startedAt && run.finishedAt) {
    const seconds = (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000;
    syncRunDuration.observe({ kind: run.kind, status: run.status }, Math.max(seconds, 0));
  }
  syncRowsTotal.inc({ kind: run.kind, change: 'created' }, run.rowsCreated);
  syncRowsTotal.inc({ kind: run.kind, change: 'updated' }, run.rowsUpdated);
  syncRowsTotal.inc({ kind: run.kind, change: 'unchanged' }, run.rowsUnchanged);
}

/** E-mails calsync sent out (reminders, owner alerts, the daily agenda) by kind and outcome: `sent`, `retry`, `failed`. */
export const emailsTotal = new Counter({
  name: 'calsync_emails_total',
  help: 'E-mails by kind (reminder, agenda, alert, resolved) and outcome (sent, retry, failed)',
  labelNames: ['kind', 'outcome'] as const,
  registers,
});

/** Outbound webhook tries by endpoint id and outcome: `delivered`, `retry`, `failed`. */
export const outboundDeliveriesTotal = new Counter({
  name: 'calsync_outbound_deliveries_total',
  help: 'Outbound webhook tries by endpoint and outcome (delivered, retry, failed, superseded)',
  labelNames: ['endpoint', 'outcome'] as const,
  registers,
});

/** How long the oldest outbound delivery not yet delivered or failed has waited. */
export const outboundOldestPending = new Gauge({
  name: 'calsync_outbound_oldest_pending_seconds',
  help: 'Age of the oldest outbound webhook delivery still pending or sending (0 when none)',
  registers,
});
