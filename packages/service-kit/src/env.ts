import { isIP } from 'node:net';
import { z } from 'zod';

/** Thrown by `parseEnv`: one line per bad variable, each naming it. */
export class EnvError extends Error {
  override name = 'EnvError';
}

const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

/** `30s`, `5m`, `1h` or plain milliseconds → milliseconds. */
export const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)?$/, 'expected a duration like 30s, 5m or 1h')
  .transform((v) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h)?$/.exec(v)!;
    const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit ?? 'ms']!;
    return Number(n) * factor;
  })
  .refine((ms) => ms > 0, 'must be more than zero');

const port = z.coerce.number().int().min(0).max(65_535);

// Fragments each app's env.ts composes. The defaults are the ones README "Configuration" lists.
export const storageEnv = {
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/calsync'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const httpEnv = {
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
};

/** A process with no HTTP listener of its own (the worker alone) serves /metrics, /healthz, /readyz here when set. */
export const metricsListenerEnv = {
  METRICS_PORT: port.optional(),
};

export const calApiEnv = {
  CAL_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.cal.com'),
  CAL_API_KEY: z.string().min(1).optional(),
  CAL_API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
};

export const webhookEnv = {
  CAL_WEBHOOK_SECRET: commaList.optional(),
  CAL_WEBHOOK_ALLOW_UNSIGNED: booleanFlag.default(false),
};

export const scheduleEnv = {
  CAL_RECONCILE_CRON: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'expected a 5-field cron expression like "0 3 * * *"')
    .default('0 3 * * *'),
  CAL_SYNC_EVERY: duration.default(300_000),
};

/** Outbound webhooks: endpoints on loopback or private addresses are refused unless this is set. */
export const outboundEnv = {
  OUTBOUND_ALLOW_PRIVATE: booleanFlag.default(false),
};

/** The bearer tokens that open /metrics: every process with an HTTP listener takes them. */
export const metricsAccessEnv = {
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};

export const accessEnv = {
  ...metricsAccessEnv,
  CORS_ORIGINS: commaList.optional(),
};

// A path into the token's claims. `user_metadata` is refused: every signed-in user can write their own, so a claim
// there would let anyone make themselves admin.
const adminClaimPath = z
  .string()
  .regex(/^[A-Za-z0-9_$:-]+(\.[A-Za-z0-9_$:-]+)*$/, 'expected a dotted claim path such as app_metadata.role')
  .refine(
    (path) => path.split('.')[0] !== 'user_metadata',
    'user_metadata is editable by every user (supabase.auth.updateUser): use app_metadata, which only the service role sets',
  );

/**
 * Supabase Auth access tokens as admin credentials: HS256 with the project's JWT secret, and/or the asymmetric keys
 * published at `<SUPABASE_URL>/auth/v1/.well-known/jwks.json`.
 */
export const supabaseAuthEnv = {
  SUPABASE_JWT_SECRET: z.string().min(32, "must be at least 32 characters (Supabase's JWT secret is)").optional(),
  SUPABASE_URL: z
    .url({ protocol: /^https?$/, error: 'expected the project URL, such as https://abcd.supabase.co' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  SUPABASE_ADMIN_CLAIM: adminClaimPath.default('app_metadata.role'),
};

/** What Fastify's `trustProxy` takes: which proxies' `X-Forwarded-*` headers count. */
export type TrustProxy = boolean | number | string[];

// proxy-addr's names for whole address ranges, as Fastify's `trustProxy` accepts them.
const namedRanges = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrCidr(item: string): boolean {
  if (namedRanges.includes(item)) return true;
  const [address = '', prefix, extra] = item.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `false` (the default: the socket's address is the client's), `true` (believe every proxy: only when calsync is
 * reachable through proxies alone), a hop count, or comma-separated addresses/CIDRs of the proxies to believe.
 */
export const trustProxy = z.string().transform((value, ctx): TrustProxy => {
  const trimmed = value.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops >= 1 && hops <= 32) return hops;
  }
  const items = trimmed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.find((item) => !isAddressOrCidr(item));
  if (items.length === 0 || bad !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected false, true, a hop count from 1 to 32, or comma-separated addresses/CIDRs (such as 10.0.0.0/8,127.0.0.1)${bad === undefined ? '' : `; "${bad.slice(0, 60)}" is none of these`}`,
    });
    return z.NEVER;
  }
  return items;
});

/** Every process with an HTTP listener: whose `X-Forwarded-For`/`-Proto` to believe (per-client limits key on it). */
export const proxyEnv = {
  TRUST_PROXY: trustProxy.default(false),
};

/**
 * Parses the environment once at start-up. An empty string counts as unset.
 * A bad value throws an EnvError whose message names every bad variable.
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  source: Record<string, string | undefined>,
): z.infer<z.ZodObject<Shape>> {
  const present = Object.fromEntries(
    Object.keys(shape)
      .map((key) => [key, source[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new EnvError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}
