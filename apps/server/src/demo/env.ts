import { httpEnv, parseEnv, storageEnv } from '@calsync/service-kit';
import { z } from 'zod';

/** The demo keeps to its own database, so it never mixes simulated bookings into a real one. */
export const demoEnvShape = {
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/calsync_demo'),
  REDIS_URL: storageEnv.REDIS_URL,
  PORT: httpEnv.PORT,
  LOG_LEVEL: storageEnv.LOG_LEVEL.default('error'),
  /** The Chromium `--screenshot` drives; else a system Chromium or Playwright's own is looked for. */
  CHROMIUM_PATH: z.string().min(1).optional(),
};

export function loadDemoEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnv(demoEnvShape, source);
}
