import type { RunningWorker, WorkerDeps } from '../worker-context.ts';
import { type DispatcherOptions, startDispatcher } from './dispatcher.ts';

export { isPrivateAddress, urlProblem } from './address-guard.ts';
export { MAX_ATTEMPTS, RETRY_DELAYS_MS } from './retry-schedule.ts';
export { newEndpointSecret } from './signing.ts';

/** Outbound webhooks: every worker runs a dispatcher; SKIP LOCKED claims keep them from sending twice. */
export async function startOutbound(
  deps: WorkerDeps,
  options: Partial<Omit<DispatcherOptions, 'db' | 'log' | 'allowPrivate'>> = {},
): Promise<RunningWorker> {
  const dispatcher = await startDispatcher({
    db: deps.resources.db,
    log: deps.logger.child({ part: 'outbound' }),
    allowPrivate: deps.env.OUTBOUND_ALLOW_PRIVATE,
    ...options,
  });
  return { close: dispatcher.close };
}
export { type DeliveryView, listDeliveries, type RetryResult, retryDelivery } from './deliveries.ts';
export {
  createEndpoint,
  deleteEndpoint,
  EndpointInputError,
  type EndpointView,
  getEndpoint,
  listEndpoints,
  parseEndpointInput,
  ROTATION_OVERLAP_MS,
  rotateEndpointSecret,
  setEndpointPaused,
} from './endpoints.ts';
