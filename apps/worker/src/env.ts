import { DELIVERY_RETRY_MAX_DELAY_MS } from '@calsync/jobs';
import {
  calApiEnv,
  duration,
  httpEnv,
  mailEnv,
  metricsAccessEnv,
  metricsListenerEnv,
  outboundEnv,
  parseEnv,
  proxyEnv,
  redisDurabilityEnv,
  scheduleEnv,
  storageEnv,
  withMailRules,
} from '@calsync/service-kit';
import { changesRetention } from './change-feed/retention.ts';

export const workerEnvShape = {
  ...storageEnv,
  ...calApiEnv,
  ...scheduleEnv,
  // /metrics, /healthz and /readyz on HOST:METRICS_PORT when set
  ...metricsListenerEnv,
  HOST: httpEnv.HOST,
  ...proxyEnv,
  ...metricsAccessEnv,
  // NODE_ENV, ALLOW_VOLATILE_REDIS: refuse a Redis that may lose acknowledged deliveries in production
  ...redisDurabilityEnv,
  // The longest wait between two tries of a delivery (jobs retry without limit while PostgreSQL is away).
  DELIVERY_RETRY_MAX_DELAY: duration.default(DELIVERY_RETRY_MAX_DELAY_MS),
  // How long Changes stay in the change feed: the worker prunes older ones daily.
  CHANGES_RETENTION: changesRetention,
  // OUTBOUND_ALLOW_PRIVATE: outbound webhooks to loopback or private addresses (tests, local setups)
  ...outboundEnv,
  // SMTP_URL, MAIL_FROM, OWNER_EMAIL, REMINDER_OFFSETS, OWNER_TIMEZONE, TEMPLATES_DIR: reminders and owner e-mails
  ...mailEnv,
};
export type WorkerEnv = ReturnType<typeof loadWorkerEnv>;

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env) {
  return withMailRules(parseEnv(workerEnvShape, source), source);
}
