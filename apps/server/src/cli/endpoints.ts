import { parseArgs } from 'node:util';
import { createDb, type Database } from '@calsync/db';
import { EnvError, outboundEnv, parseEnv, storageEnv } from '@calsync/service-kit';
import { outbound } from '@calsync/worker';
import { exitCodes, UsageError } from './exit-codes.ts';
import type { Output } from './output.ts';
import { usage } from './usage.ts';

/** What `endpoints` reads: the database, and whether private endpoint addresses are allowed. */
const endpointsEnvShape = { DATABASE_URL: storageEnv.DATABASE_URL, ...outboundEnv };

type Values = { types?: string; json?: boolean };
type Env = ReturnType<typeof parseEnv<typeof endpointsEnvShape>>;

/**
 * `endpoints list|add <url> [--types a,b]|delete <id>|pause <id>|resume <id>|rotate <id>|retry <id> <delivery-id>`:
 * the outbound webhook endpoints, as the admin API manages them. A new or rotated secret is printed once.
 */
export async function endpointsCommand(
  argv: string[],
  options: { env?: Record<string, string | undefined>; output: Output },
): Promise<number> {
  const { output } = options;
  let values: Values;
  let positionals: string[];
  let env: Env;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { types: { type: 'string' }, json: { type: 'boolean' } },
    }));
    env = parseEnv(endpointsEnvShape, options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof EnvError || error instanceof TypeError)) throw error;
    output.err(`calsync endpoints: ${error.message}\n\n${usage}`);
    return exitCodes.usage;
  }
  const { client, db } = createDb(env.DATABASE_URL, { max: 2, applicationName: 'calsync-cli' });
  try {
    return await run(db, positionals, values, env, output);
  } catch (error) {
    const bad = error instanceof UsageError || error instanceof outbound.EndpointInputError;
    output.err(`calsync endpoints: ${(error as Error).message}${error instanceof UsageError ? `\n\n${usage}` : ''}`);
    return bad ? exitCodes.usage : exitCodes.failed;
  } finally {
    await client.end();
  }
}

async function run(db: Database, positionals: string[], values: Values, env: Env, output: Output): Promise<number> {
  const [action, ...args] = positionals;
  const show = (text: string, json: unknown) => output.out(values.json ? JSON.stringify(json) : text);
  const need = (n: number, what: string) => {
    if (args.length !== n) throw new UsageError(`endpoints ${action} takes ${what}`);
  };
  switch (action) {
    case 'list': {
      need(0, 'no arguments');
      const endpoints = await outbound.listEndpoints(db);
      const lines = endpoints.map(
        (e) =>
          `${e.id}  ${e.status.padEnd(6)}  ${e.url}  ${e.types.length ? e.types.join(',') : 'all types'}` +
          (e.paused_reason ? `  (${e.paused_reason})` : ''),
      );
      show(lines.length ? lines.join('\n') : 'no endpoints', { endpoints });
      return exitCodes.ok;
    }
    case 'add': {
      need(1, 'a URL');
      const types = values.types
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const input = await outbound.parseEndpointInput({ url: args[0], types }, env.OUTBOUND_ALLOW_PRIVATE);
      const endpoint = await outbound.createEndpoint(db, input);
      show(`added ${endpoint.id}\nsecret (shown only now): ${endpoint.secret}`, { endpoint });
      return exitCodes.ok;
    }
    case 'delete':
    case 'pause':
    case 'resume':
    case 'rotate':
      need(1, 'an endpoint id');
      return await change(db, action, args[0]!, show, output);
    case 'retry': {
      need(2, 'an endpoint id and a delivery id');
      const result = await outbound.retryDelivery(db, args[0]!, args[1]!);
      if (result === 'queued') {
        show(`delivery ${args[1]} queued again`, { delivery: { id: args[1], status: 'pending' } });
        return exitCodes.ok;
      }
      output.err(
        result === 'not_found'
          ? `calsync endpoints: no delivery ${args[1]}`
          : 'calsync endpoints: only a failed delivery can be retried',
      );
      return exitCodes.failed;
    }
    default:
      throw new UsageError(action ? `unknown endpoints action "${action}"` : 'endpoints needs an action');
  }
}

async function change(
  db: Database,
  action: 'delete' | 'pause' | 'resume' | 'rotate',
  id: string,
  show: (text: string, json: unknown) => void,
  output: Output,
): Promise<number> {
  if (action === 'delete') {
    if (await outbound.deleteEndpoint(db, id)) {
      show(`deleted ${id}`, { deleted: id });
      return exitCodes.ok;
    }
  } else if (action === 'rotate') {
    const rotated = await outbound.rotateEndpointSecret(db, id);
    if (rotated) {
      const until = rotated.previous_secret_expires_at;
      show(`new secret (shown only now): ${rotated.secret}\nthe old one also signs until ${until}`, {
        endpoint: rotated,
      });
      return exitCodes.ok;
    }
  } else {
    const endpoint = await outbound.setEndpointPaused(db, id, action === 'pause');
    if (endpoint) {
      show(`${id} is ${endpoint.status}`, { endpoint });
      return exitCodes.ok;
    }
  }
  output.err(`calsync endpoints: no endpoint ${id}`);
  return exitCodes.failed;
}
