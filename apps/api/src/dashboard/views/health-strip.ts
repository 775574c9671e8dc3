import type { CalSyncRun } from '@calsync/db';
import type { HealthSummary } from '../health-summary.ts';
import { html, type SafeHtml } from '../html.ts';
import { runProgress } from '../queries.ts';
import { ago } from './format.ts';
import { DASHBOARD } from './layout.ts';

function fact(label: string, value: string | number, tone: 'ok' | 'warn' | 'bad' = 'ok'): SafeHtml {
  return html`<div class="fact fact-${tone}"><span class="label">${label}</span><span class="value">${value}</span></div>`;
}

function lagText(seconds: number): string {
  return seconds < 1 ? '0 s' : seconds < 120 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

export function healthStrip(health: HealthSummary): SafeHtml {
  const budget = health.budget;
  return html`<section class="health" aria-label="Health">
  ${fact('Webhooks (24 h)', health.webhooksLast24h)}
  ${fact('Failed deliveries', health.failedDeliveries, health.failedDeliveries > 0 ? 'bad' : 'ok')}
  ${health.redisDurability.warning ? fact('Redis durability', health.redisDurability.warning, 'warn') : ''}
  ${fact('Queue lag', `${lagText(health.queueLagSeconds)} (${health.pendingDeliveries} waiting)`, health.queueLagSeconds > 60 ? 'warn' : 'ok')}
  ${fact('Last sync', ago(health.lastBookingsSync), health.lastBookingsSync ? 'ok' : 'warn')}
  ${fact('Last reconciliation', ago(health.lastReconcile), health.lastReconcile ? 'ok' : 'warn')}
  ${fact('Reconciliation corrections', health.reconcileCorrections ?? '—', (health.reconcileCorrections ?? 0) > 0 ? 'warn' : 'ok')}
  ${fact(
    'Budget used',
    budget ? `${budget.used} / ${budget.limit} per min${budget.pausedUntil ? ' (paused)' : ''}` : 'unknown',
    budget && (budget.pausedUntil || budget.used >= budget.limit) ? 'warn' : 'ok',
  )}
</section>`;
}

const syncButtons = [
  { kind: 'bookings_sync', label: 'Sync bookings' },
  { kind: 'event_types_sync', label: 'Sync event types' },
  { kind: 'reconcile', label: 'Reconcile now' },
] as const;

/** The three sync buttons (POST + CSRF) and a progress line per active run, which dashboard.js keeps current. */
export function syncPanel(csrfToken: string, runs: CalSyncRun[]): SafeHtml {
  return html`<section class="actions" aria-label="Syncs">
  ${syncButtons.map(
    (b) => html`<form method="post" action="${DASHBOARD}/sync/${b.kind}">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <button type="submit" data-sync="${b.kind}">${b.label}</button>
  </form>`,
  )}
  <div class="runs">${runs.map(runLine)}</div>
</section>`;
}

/** One run's progress; `data-run` makes dashboard.js poll `/admin/calendar/runs/:id` until the run ends. */
export function runLine(run: CalSyncRun): SafeHtml {
  const p = runProgress(run);
  const rows = p.rows.created + p.rows.updated + p.rows.unchanged;
  return html`<p class="run run-${p.status}" data-run="${p.done ? '' : p.id}" data-run-id="${p.id}">
  <span class="run-kind">${p.kind.replace(/_/g, ' ')}</span>
  <span class="run-status badge badge-${p.status}">${p.status}</span>
  <span class="run-pages">${p.pages} ${p.pages === 1 ? 'page' : 'pages'}</span>, <span class="run-rows">${rows} rows</span>
  (<span class="run-changed">${p.rows.created} new, ${p.rows.updated} updated</span>)
  <span class="run-error">${p.error ?? ''}</span>
</p>`;
}
