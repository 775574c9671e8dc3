// @ts-check
// Plain JavaScript, like each app's main.js: it runs before Node's compile cache is on, and a TypeScript file loaded
// then would cost Node's TypeScript stripper (about 100 ms to load) on every start. Typechecked from its JSDoc.
import module from 'node:module';

/**
 * Packages whose package.json is so large that Node re-reading it per file dominates start-up. Node 24 answers
 * "is this .js file ESM?" for every file of a package by deserializing its package.json again, `exports` map
 * included (drizzle-orm's is 175 kB, parsed once for each of the ~150 files calsync loads: about half a second).
 * Each package listed here is `"type": "module"`, so a relative `.js` import inside it is an ES module next to it.
 */
const HUGE_MANIFEST_PACKAGES = ['/node_modules/drizzle-orm/'];

let prepared = false;

/**
 * Makes this process's remaining imports cheaper: Node's on-disk compile cache (stripped TypeScript and V8 code,
 * in NODE_COMPILE_CACHE or the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off) and the resolve shortcut
 * above. Call it first in an entry point, before importing the process's code (with a dynamic `import()`), since
 * only modules loaded afterwards benefit. Idempotent.
 */
export function prepareFastStart() {
  if (prepared) return;
  prepared = true;
  module.enableCompileCache?.();
  module.registerHooks?.({ resolve: resolveInsideHugeManifestPackage });
}

/**
 * A relative `.js` import from inside a listed package resolves to the file beside it, as an ES module.
 * @type {import('node:module').ResolveHookSync}
 */
export function resolveInsideHugeManifestPackage(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (
    parent?.startsWith('file:') &&
    (specifier.startsWith('./') || specifier.startsWith('../')) &&
    specifier.endsWith('.js') &&
    HUGE_MANIFEST_PACKAGES.some((marker) => parent.includes(marker))
  ) {
    return { url: new URL(specifier, parent).href, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
