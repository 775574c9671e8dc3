import { runCli } from './cli/run-cli.ts';

// `pnpm calsync <command>`: see `pnpm calsync --help`. Exit codes: 0 ok, 1 failed, 2 usage.
process.exitCode = await runCli(process.argv.slice(2));
