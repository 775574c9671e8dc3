import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Browsers that drive like Chromium under Playwright, by the names distributions give them. */
export const SYSTEM_CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

export interface ChromiumSearch {
  /** CHROMIUM_PATH is read from here. */
  env?: Record<string, string | undefined>;
  /** Where system browsers are looked for (default: PATH plus /usr/bin). */
  searchDirs?: string[];
  /** Playwright's own download, when one is installed (the caller knows its path). */
  bundledPath?: string;
  /**
   * Installs a system Chromium when none is found; by default Debian's package when running as root on Debian,
   * else none. Called once: afterwards the search runs again.
   */
  install?: (() => Promise<void>) | null;
}

/** A Chromium for the browser tests: CHROMIUM_PATH, a system one, Playwright's own, else one installed now. */
export async function findOrInstallChromium(search: ChromiumSearch = {}): Promise<string> {
  const env = search.env ?? process.env;
  const given = env.CHROMIUM_PATH;
  if (given) {
    if (!isExecutable(given)) throw new Error(`CHROMIUM_PATH=${given} is not an executable file`);
    return given;
  }
  const found = findChromium(search);
  if (found) return found;
  const install = search.install === undefined ? debianInstaller() : search.install;
  if (!install) throw new Error(MISSING);
  await install();
  const installed = findChromium(search);
  if (!installed) throw new Error(`${MISSING} (installing one did not put it on PATH)`);
  return installed;
}

const MISSING =
  'No Chromium for the browser tests: install one (Debian/Ubuntu: apt-get install chromium; ' +
  'elsewhere: pnpm exec playwright-core install chromium) or set CHROMIUM_PATH to its executable';

/** A system Chromium on the search path, else Playwright's own; undefined when there is none. */
export function findChromium(search: Pick<ChromiumSearch, 'searchDirs' | 'bundledPath'> = {}): string | undefined {
  const dirs = search.searchDirs ?? [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'];
  for (const name of SYSTEM_CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  if (search.bundledPath && isExecutable(search.bundledPath)) return search.bundledPath;
  return undefined;
}

/** `apt-get install -y chromium` (after `apt-get update` when the package lists do not know it), or null off Debian/root. */
export function debianInstaller(): (() => Promise<void>) | null {
  if (!existsSync('/etc/debian_version') || process.getuid?.() !== 0) return null;
  return async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    console.error('test setup: installing Debian’s chromium for the browser tests (once)…');
    try {
      await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env });
    } catch {
      await run('apt-get', ['update', '-qq'], { env });
      await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env });
    }
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
