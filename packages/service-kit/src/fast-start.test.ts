import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode } from '@calsync/test-support';
import { describe, expect, it } from 'vitest';
import { resolveInsideHugeManifestPackage } from './fast-start.js';

const fastStart = fileURLToPath(new URL('./fast-start.js', import.meta.url));
const dbPackage = createRequire(import.meta.url).resolve('@calsync/db');
const drizzleFile = 'file:///app/node_modules/.pnpm/drizzle-orm@0.45.4/node_modules/drizzle-orm/pg-core/table.js';

/** What the resolve hook does with `specifier` from `parentURL`: its own answer, or "next" when it passes it on. */
function resolveWith(specifier: string, parentURL: string | undefined) {
  return resolveInsideHugeManifestPackage(specifier, { parentURL, conditions: [], importAttributes: {} }, () => ({
    url: 'next',
  }));
}

function script(source: string, name = 'probe.ts'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'calsync-fast-start-')), name);
  writeFileSync(file, source);
  return file;
}

describe('the resolve shortcut', () => {
  it('resolves a relative .js import inside drizzle-orm to the file beside it, as an ES module', () => {
    expect(resolveWith('../entity.js', drizzleFile)).toEqual({
      url: 'file:///app/node_modules/.pnpm/drizzle-orm@0.45.4/node_modules/drizzle-orm/entity.js',
      format: 'module',
      shortCircuit: true,
    });
  });

  it('leaves everything else to Node', () => {
    expect(resolveWith('drizzle-orm/pg-core', 'file:///app/packages/db/src/client.ts')).toEqual({ url: 'next' });
    expect(resolveWith('./x.js', 'file:///app/packages/db/src/client.ts')).toEqual({ url: 'next' });
    expect(resolveWith('postgres', drizzleFile)).toEqual({ url: 'next' });
    expect(resolveWith('./x.cjs', drizzleFile)).toEqual({ url: 'next' });
    expect(resolveWith('./x.js', undefined)).toEqual({ url: 'next' });
  });
});

describe('prepareFastStart', () => {
  it('fills the compile cache and loads the database package (drizzle-orm) under the shortcut as without it', async () => {
    // The cache's default home is the OS temp folder: a temp folder of this test's own shows what was written.
    const temp = mkdtempSync(join(tmpdir(), 'calsync-temp-'));
    const cache = join(temp, 'node-compile-cache');
    const probe = script(
      `import { prepareFastStart } from ${JSON.stringify(fastStart)};
      if (process.argv.includes('fast')) prepareFastStart();
      const db = await import(${JSON.stringify(dbPackage)});
      console.log(JSON.stringify(Object.keys(db).sort()));`,
    );
    const run = async (fast: boolean) => {
      const child = spawnNode(probe, { TMPDIR: temp }, fast ? ['fast'] : []);
      expect(await child.exited, child.output()).toBe(0);
      return JSON.parse(child.output()) as string[];
    };
    const plain = await run(false);
    expect(existsSync(cache)).toBe(false);
    expect(plain).toContain('calBookings');
    expect(await run(true)).toEqual(plain);
    expect(readdirSync(cache).length).toBeGreaterThan(0);
  });

  it('lets a plain-JavaScript entry point load TypeScript from a warm cache without loading the TypeScript stripper', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'calsync-temp-'));
    const probe = script(
      `import { prepareFastStart } from ${JSON.stringify(fastStart)};
      prepareFastStart();
      await import(${JSON.stringify(dbPackage)});
      const stripper = process.moduleLoadList.some((name) => name.includes('amaro'));
      console.log(JSON.stringify({ stripper }));`,
      'probe.mjs',
    );
    const run = async () => {
      const child = spawnNode(probe, { TMPDIR: temp });
      expect(await child.exited, child.output()).toBe(0);
      return JSON.parse(child.output()) as { stripper: boolean };
    };
    expect(await run()).toEqual({ stripper: true }); // a cold cache: the TypeScript is stripped, and cached
    expect(await run()).toEqual({ stripper: false });
  });
});
