import { type HealthSummary, loadHealthSummary } from '@calsync/api';
import type { Resources } from '@calsync/service-kit';
import type { CliEnv } from './env.ts';
import { exitCodes } from './exit-codes.ts';
import type { Output } from './output.ts';

function since(iso: string | null): string {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return `${text} ago (${iso})`;
}

function failedText(h: HealthSummary): string {
  if (h.failedDeliveries === 0) return '0';
  const inRedis = h.failedDeliveriesWithoutRow ?? 0;
  const where = inRedis > 0 ? ` (${inRedis} only in Redis, the sweeper stores them)` : '';
  return `${h.failedDeliveries}${where}  ← pnpm calsync replay --failed`;
}

/** The health strip as aligned lines: what an operator checks first. */
export function formatHealth(h: HealthSummary): string[] {
  const budget = h.budget
    ? `${h.budget.used} / ${h.budget.limit} per minute${h.budget.pausedUntil ? ` (paused until ${h.budget.pausedUntil})` : ''}`
    : 'unknown (Redis did not answer)';
  const rows: Array<[string, string]> = [
    ['webhooks (24 h)', String(h.webhooksLast24h)],
    ['failed deliveries', failedText(h)],
    ['queue lag', `${Math.round(h.queueLagSeconds)} s (${h.pendingDeliveries} waiting)`],
    ['last bookings sync', since(h.lastBookingsSync)],
    ['last reconciliation', since(h.lastReconcile)],
    ['last event types sync', since(h.lastEventTypesSync)],
    ['reconcile corrections', h.reconcileCorrections === null ? '—' : String(h.reconcileCorrections)],
    ['budget used', budget],
    ['redis durability', h.redisDurability.warning ?? 'appendonly yes, maxmemory-policy noeviction'],
  ];
  return rows.map(([label, value]) => `${label.padEnd(22)} ${value}`);
}

/** `status [--json]`: exits 0 when nothing has failed, 1 when deliveries have failed (scripts can alert on it). */
export async function statusCommand(args: { json: boolean }, env: CliEnv, resources: Resources, output: Output) {
  const health = await loadHealthSummary({
    db: resources.db,
    redis: resources.redis,
    redisPrefix: resources.redisPrefix,
    rateLimit: env.CAL_API_RATE_LIMIT,
  });
  if (args.json) output.out(JSON.stringify(health));
  else for (const line of formatHealth(health)) output.out(line);
  return health.failedDeliveries > 0 ? exitCodes.failed : exitCodes.ok;
}
