import { type CalSyncRun, getSyncRun, type SyncKind } from '@calsync/db';
import { openSyncQueue, requestSync } from '@calsync/jobs';
import type { Resources } from '@calsync/service-kit';
import { exitCodes, UsageError } from './exit-codes.ts';
import type { Output } from './output.ts';

export const syncKindsByName: Record<string, SyncKind> = {
  bookings: 'bookings_sync',
  'event-types': 'event_types_sync',
  reconcile: 'reconcile',
};

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progressLine(run: CalSyncRun): string {
  const rows = run.rowsCreated + run.rowsUpdated + run.rowsUnchanged;
  const changed = `${run.rowsCreated} new, ${run.rowsUpdated} updated`;
  return `${run.kind} ${run.status}: ${run.pages} pages, ${rows} rows (${changed}), ${run.requests} requests`;
}

/** `sync <kind>`: queues the run (or joins the active one) and follows it until it ends. Exit 1 if it failed. */
export async function syncCommand(
  args: { kind: string; wait: boolean; pollMs?: number },
  resources: Resources,
  output: Output,
) {
  const kind = syncKindsByName[args.kind];
  if (!kind) throw new UsageError(`unknown sync "${args.kind}": expected bookings, event-types or reconcile`);
  const queue = openSyncQueue({ redisUrl: resources.redisUrl, prefix: resources.redisPrefix });
  try {
    let run = await requestSync({ db: resources.db, queue }, kind, 'manual');
    output.out(`${kind} run ${run.id} ${run.status}`);
    if (!args.wait) return exitCodes.ok;
    let shown = '';
    for (let tick = 0; run.status === 'queued' || run.status === 'running'; tick++) {
      const line = progressLine(run);
      if (output.isTty) process.stdout.write(`\r\x1b[2K${spinner[tick % spinner.length]} ${line}`);
      else if (line !== shown) output.out(line);
      shown = line;
      await new Promise((resolve) => setTimeout(resolve, args.pollMs ?? 500));
      const next = await getSyncRun(resources.db, run.id);
      if (!next) throw new Error(`sync run ${run.id} disappeared`);
      run = next;
    }
    if (output.isTty) process.stdout.write('\r\x1b[2K');
    output.out(progressLine(run));
    if (run.status === 'failed') {
      output.err(`sync failed: ${run.error ?? 'no error recorded'}`);
      return exitCodes.failed;
    }
    return exitCodes.ok;
  } finally {
    await queue.close();
  }
}
