export { type IngestEnv, ingestEnvShape, loadIngestEnv } from './env.ts';
export { type IngestOptions, ingestPlugin } from './plugin.ts';
