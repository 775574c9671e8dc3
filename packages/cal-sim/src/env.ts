import { z } from 'zod';

const positiveInt = z.coerce.number().int().min(1);

const simEnvShape = {
  CAL_SIM_PORT: z.coerce.number().int().min(0).max(65_535).default(4010),
  CAL_SIM_HOST: z.string().min(1).default('127.0.0.1'),
  CAL_SIM_API_KEY: z.string().min(1).default('cal_test_sim'),
  CAL_SIM_BOOKINGS: z.coerce.number().int().min(0).max(5_000_000).default(500),
  CAL_SIM_RATE_LIMIT: positiveInt.default(120),
  CAL_SIM_RATE_WINDOW_MS: positiveInt.default(60_000),
  CAL_SIM_BLOCK_MS: positiveInt.default(60_000),
  CAL_SIM_SEED: z.coerce.number().int().default(1),
  CAL_SIM_SHAPES: z.enum(['simple', 'real']).default('simple'),
};

export type SimEnv = z.infer<z.ZodObject<typeof simEnvShape>>;

/** Thrown by `parseSimEnv`; its message names every bad variable. */
export class SimEnvError extends Error {
  override name = 'SimEnvError';
}

/** The standalone simulator's configuration. An empty string counts as unset. */
export function parseSimEnv(source: Record<string, string | undefined>): SimEnv {
  const present = Object.fromEntries(
    Object.keys(simEnvShape).flatMap((key) => (source[key] ? [[key, source[key]]] : [])),
  );
  const result = z.object(simEnvShape).safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new SimEnvError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}
