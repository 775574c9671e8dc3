import { parseArgs } from 'node:util';
import { formatAdoptionReport, migrate } from '@calsync/db';
import { createResources, EnvError, type Resources } from '@calsync/service-kit';
import { adoptCommand } from './adopt.ts';
import { endpointsCommand } from './endpoints.ts';
import { type CliEnv, loadCliEnv } from './env.ts';
import { exitCodes, UsageError } from './exit-codes.ts';
import { insightsCommand } from './insights.ts';
import { type Output, processOutput } from './output.ts';
import { replayCommand } from './replay.ts';
import { statusCommand } from './status.ts';
import { syncCommand } from './sync.ts';
import { usage } from './usage.ts';

export interface CliOptions {
  /** Environment variables (default `process.env`). */
  env?: Record<string, string | undefined>;
  output?: Output;
  /** BullMQ/Redis key prefix (tests use their own). */
  redisPrefix?: string;
  /** How often `sync` looks at its run (default 500 ms). */
  pollMs?: number;
}

/** Runs one `pnpm calsync` command and returns its exit code (0 ok, 1 failed, 2 usage). Never exits the process. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const output = options.output ?? processOutput;
  if (argv[0] === 'insights') return await insightsCommand(argv.slice(1), { env: options.env, output });
  if (argv[0] === 'endpoints') return await endpointsCommand(argv.slice(1), { env: options.env, output });
  let parsed: ReturnType<typeof parse>;
  let env: CliEnv;
  try {
    parsed = parse(argv);
    if (parsed.help) {
      output.out(usage);
      return exitCodes.ok;
    }
    env = loadCliEnv(options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof EnvError)) throw error;
    output.err(`calsync: ${error.message}`);
    if (error instanceof UsageError) output.err(`\n${usage}`);
    return exitCodes.usage;
  }

  const [command, ...rest] = parsed.positionals;
  if (command === 'migrate') return await runMigrate(env, output);
  if (command === 'adopt') {
    if (rest.length > 0) return usageFailure('adopt takes no arguments', output);
    return await adoptCommand({ check: parsed.check, json: parsed.json }, env.DATABASE_URL, output);
  }
  const resources = createResources({
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisPrefix: options.redisPrefix,
    applicationName: 'calsync-cli',
    dbPoolSize: 2,
  });
  try {
    return await dispatch(command, rest, parsed, env, resources, output, options);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`calsync: ${error.message}\n\n${usage}`);
      return exitCodes.usage;
    }
    output.err(`calsync ${command}: ${(error as Error).message}`);
    return exitCodes.failed;
  } finally {
    await resources.close();
  }
}

const commands = ['status', 'sync', 'replay', 'migrate', 'adopt'];

function usageFailure(message: string, output: Output): number {
  output.err(`calsync: ${message}\n\n${usage}`);
  return exitCodes.usage;
}

function parse(argv: string[]) {
  let values: Record<string, boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        failed: { type: 'boolean' },
        check: { type: 'boolean' },
        'no-wait': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.help && positionals.length === 0) throw new UsageError('no command given');
  if (!values.help && !commands.includes(positionals[0] ?? ''))
    throw new UsageError(`unknown command "${positionals[0]}"`);
  return {
    help: Boolean(values.help),
    json: Boolean(values.json),
    failed: Boolean(values.failed),
    check: Boolean(values.check),
    wait: !values['no-wait'],
    positionals,
  };
}

async function dispatch(
  command: string | undefined,
  rest: string[],
  parsed: ReturnType<typeof parse>,
  env: CliEnv,
  resources: Resources,
  output: Output,
  options: CliOptions,
): Promise<number> {
  switch (command) {
    case 'status':
      if (rest.length > 0) throw new UsageError('status takes no arguments');
      return await statusCommand({ json: parsed.json }, env, resources, output);
    case 'sync':
      if (rest.length !== 1) throw new UsageError('sync takes one of: bookings, event-types, reconcile');
      return await syncCommand({ kind: rest[0]!, wait: parsed.wait, pollMs: options.pollMs }, resources, output);
    case 'replay':
      if (rest.length > 1) throw new UsageError('replay takes one event id');
      return await replayCommand({ id: rest[0], failed: parsed.failed }, resources, output);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function runMigrate(env: CliEnv, output: Output): Promise<number> {
  try {
    const { databaseCreated, adopted } = await migrate(env.DATABASE_URL);
    if (adopted) output.out(`${formatAdoptionReport(adopted)}\n`);
    const where = new URL(env.DATABASE_URL);
    output.out(`migrations applied to ${where.host}${where.pathname}${databaseCreated ? ' (database created)' : ''}`);
    return exitCodes.ok;
  } catch (error) {
    output.err(`calsync migrate: ${(error as Error).message}`);
    return exitCodes.failed;
  }
}
