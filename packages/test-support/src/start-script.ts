import { readFileSync } from 'node:fs';

const root = new URL('../../../', import.meta.url);

/**
 * The Node flags an app's `start` script passes (`node --flag … src/main.js` in `apps/<app>/package.json`), so that
 * suites and benchmarks start a process as production does, from the one place that says how.
 */
export function startScriptNodeFlags(app: 'ingest' | 'api' | 'worker' | 'server'): string[] {
  const file = new URL(`apps/${app}/package.json`, root);
  const start: unknown = JSON.parse(readFileSync(file, 'utf8')).scripts?.start;
  const words = typeof start === 'string' ? start.trim().split(/\s+/) : [];
  if (words[0] !== 'node' || words.at(-1) !== 'src/main.js') {
    throw new Error(
      `${file.pathname}: expected a start script "node [flags] src/main.js", found ${JSON.stringify(start)}`,
    );
  }
  return words.slice(1, -1);
}
