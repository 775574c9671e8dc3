import { openWebhookQueue, replayDelivery, replayFailed } from '@calsync/jobs';
import type { Resources } from '@calsync/service-kit';
import { exitCodes, UsageError } from './exit-codes.ts';
import type { Output } from './output.ts';

/** `replay <event-id>` / `replay --failed`: the worker applies them again. Exit 1 when the id is unknown. */
export async function replayCommand(args: { id?: string; failed: boolean }, resources: Resources, output: Output) {
  if (args.failed === (args.id !== undefined)) throw new UsageError('replay takes either an event id or --failed');
  if (args.id !== undefined && !/^[0-9a-f]{64}$/.test(args.id)) {
    throw new UsageError(`"${args.id}" is not an event id (64 hex characters, as in the dashboard or the 202 answer)`);
  }
  const queue = openWebhookQueue({ redisUrl: resources.redisUrl, prefix: resources.redisPrefix, failFast: true });
  try {
    if (args.id !== undefined) {
      const result = await replayDelivery({ db: resources.db, queue }, args.id);
      if (result.status === 'not-found') {
        output.err(`no stored delivery with id ${args.id}`);
        return exitCodes.failed;
      }
      output.out(`replay queued: ${result.id} (its job was ${result.previousJobState})`);
      return exitCodes.ok;
    }
    const results = await replayFailed({ db: resources.db, queue });
    output.out(`replay queued for ${results.filter((r) => r.status === 'requeued').length} failed deliveries`);
    return exitCodes.ok;
  } finally {
    await queue.close();
  }
}
