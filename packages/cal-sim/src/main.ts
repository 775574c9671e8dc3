import { parseSimEnv, SimEnvError } from './env.ts';
import { startCalSim } from './start-cal-sim.ts';

// The standalone simulator: `pnpm --filter @calsync/cal-sim start`, configured by CAL_SIM_* variables.
let env: ReturnType<typeof parseSimEnv>;
try {
  env = parseSimEnv(process.env);
} catch (error) {
  if (!(error instanceof SimEnvError)) throw error;
  console.error(`cal-sim: ${error.message}`);
  process.exit(1);
}

const sim = await startCalSim({
  port: env.CAL_SIM_PORT,
  host: env.CAL_SIM_HOST,
  apiKey: env.CAL_SIM_API_KEY,
  bookings: env.CAL_SIM_BOOKINGS,
  rateLimit: env.CAL_SIM_RATE_LIMIT,
  rateWindowMs: env.CAL_SIM_RATE_WINDOW_MS,
  blockMs: env.CAL_SIM_BLOCK_MS,
  seed: env.CAL_SIM_SEED,
  shapes: env.CAL_SIM_SHAPES,
});
console.log(`cal-sim listening on ${sim.url} (API ${sim.url}/v2, admin ${sim.url}/_sim)`);
console.log(
  `cal-sim API key: ${sim.apiKey}; ${env.CAL_SIM_BOOKINGS} bookings (${env.CAL_SIM_SHAPES} shapes), seed ${env.CAL_SIM_SEED}`,
);
console.log(
  `cal-sim rate limit: ${env.CAL_SIM_RATE_LIMIT} per ${env.CAL_SIM_RATE_WINDOW_MS} ms, block ${env.CAL_SIM_BLOCK_MS} ms`,
);

let closing = false;
const shutdown = (signal: string) => {
  if (closing) process.exit(1);
  closing = true;
  console.log(`cal-sim: ${signal}, closing`);
  sim.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('cal-sim: close failed', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
