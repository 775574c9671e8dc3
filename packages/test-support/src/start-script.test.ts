import { describe, expect, it } from 'vitest';
import { startScriptNodeFlags } from './start-script.ts';

describe('startScriptNodeFlags', () => {
  it("reads the flags of each app's start script", () => {
    expect(startScriptNodeFlags('ingest')).toEqual([]);
    expect(startScriptNodeFlags('server')).toEqual(['--max-semi-space-size=8']);
    expect(startScriptNodeFlags('worker')).toEqual(['--max-semi-space-size=4', '--max-old-space-size=1024']);
  });
});
