import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOrInstallChromium } from './chromium.ts';

/** A folder holding the given executables (empty scripts: only their presence is looked at). */
function folderWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'calsync-chromium-'));
  for (const name of names) addExecutable(dir, name);
  return dir;
}

function addExecutable(dir: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

const noInstall = { install: null };

describe('findOrInstallChromium', () => {
  it('takes CHROMIUM_PATH first', async () => {
    const own = addExecutable(folderWith(), 'my-chrome');
    const system = folderWith('chromium');
    expect(await findOrInstallChromium({ env: { CHROMIUM_PATH: own }, searchDirs: [system], ...noInstall })).toBe(own);
  });

  it('names CHROMIUM_PATH when it points at nothing', async () => {
    await expect(
      findOrInstallChromium({ env: { CHROMIUM_PATH: '/nowhere/chrome' }, searchDirs: [], ...noInstall }),
    ).rejects.toThrow('CHROMIUM_PATH=/nowhere/chrome is not an executable file');
  });

  it('finds a system Chromium under any of its usual names, before Playwright’s own', async () => {
    const system = folderWith('chromium-browser');
    const bundled = addExecutable(folderWith(), 'chrome');
    const found = await findOrInstallChromium({ env: {}, searchDirs: [system], bundledPath: bundled, ...noInstall });
    expect(found).toBe(join(system, 'chromium-browser'));
  });

  it('falls back to Playwright’s own download', async () => {
    const bundled = addExecutable(folderWith(), 'chrome');
    expect(
      await findOrInstallChromium({ env: {}, searchDirs: [folderWith()], bundledPath: bundled, ...noInstall }),
    ).toBe(bundled);
  });

  it('installs one when there is none and an installer is available, once', async () => {
    const system = folderWith();
    let installs = 0;
    const install = async () => {
      installs++;
      addExecutable(system, 'chromium');
    };
    expect(await findOrInstallChromium({ env: {}, searchDirs: [system], install })).toBe(join(system, 'chromium'));
    expect(await findOrInstallChromium({ env: {}, searchDirs: [system], install })).toBe(join(system, 'chromium'));
    expect(installs).toBe(1);
  });

  it('stops with one line naming what to install when it cannot install', async () => {
    const error = await findOrInstallChromium({ env: {}, searchDirs: [folderWith()], ...noInstall }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(
      /^No Chromium for the browser tests: install one \(Debian\/Ubuntu: apt-get install chromium/,
    );
    expect(error.message).toContain('CHROMIUM_PATH');
    expect(error.message).not.toContain('\n');
  });
});
