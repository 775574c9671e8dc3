import {
  accessEnv,
  calApiEnv,
  duration,
  httpEnv,
  mailEnv,
  outboundEnv,
  parseEnv,
  proxyEnv,
  storageEnv,
  supabaseAuthEnv,
} from '@calsync/service-kit';
import { z } from 'zod';
import { ownerTimezoneEnv } from './insights/owner-timezone.ts';

const perMinute = z.coerce.number().int().min(1).max(1_000_000);

/** The public functions' limits: per client IP, counted in Redis across every API process. */
const publicLimitsEnv = {
  /** Requests one client IP may make to each public function per minute. */
  PUBLIC_RATE_LIMIT: perMinute.default(120),
  /** Cal.com calls (availability cache misses) one client IP may cause per minute. */
  AVAILABILITY_MISSES_PER_CLIENT: perMinute.default(20),
  /** How long a Cal.com slots answer stays cached. */
  AVAILABILITY_CACHE_TTL: duration.default(60_000),
};

/** Wrong admin tokens (bearer or the dashboard's login form) one client may send per window before a 429. */
const authFailuresEnv = {
  AUTH_FAILURES_PER_CLIENT: z.coerce.number().int().min(1).max(10_000).default(10),
  AUTH_FAILURE_WINDOW: duration.default(900_000),
};

export const apiEnvShape = {
  ...storageEnv,
  ...httpEnv,
  ...proxyEnv,
  ...calApiEnv,
  ...accessEnv,
  ...supabaseAuthEnv,
  ...publicLimitsEnv,
  ...authFailuresEnv,
  ...ownerTimezoneEnv,
  // OUTBOUND_ALLOW_PRIVATE, checked when an endpoint is added
  ...outboundEnv,
  // the dashboard says whether e-mail is on
  SMTP_URL: mailEnv.SMTP_URL,
};
export type ApiEnv = ReturnType<typeof loadApiEnv>;

export function loadApiEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(apiEnvShape, source);
}
