import { describe, expect, it } from 'vitest';
import { isPrivateAddress, urlProblem } from './address-guard.ts';

describe('outbound address guard', () => {
  it('knows loopback, private, link-local and mapped addresses from public ones', () => {
    for (const address of ['127.0.0.1', '10.2.3.4', '172.16.0.9', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::1']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['fd00::1', 'fe80::1', '::ffff:127.0.0.1', '100.64.0.1']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('refuses private hosts by literal and by name, naming the url, unless private addresses are allowed', async () => {
    for (const url of ['http://127.0.0.1:9/x', 'http://[::1]/x', 'https://10.0.0.5/', 'http://localhost:3000/']) {
      expect(await urlProblem(url, false), url).toMatch(/^url: .*private or loopback address/);
      expect(await urlProblem(url, true), url).toBeNull();
    }
    expect(await urlProblem('https://93.184.216.34/hooks', false)).toBeNull();
  });

  it('refuses what is not an http(s) URL', async () => {
    expect(await urlProblem('ftp://example.com/', true)).toBe('url must use http or https');
    expect(await urlProblem('not a url', true)).toBe('url must be an absolute http(s) URL');
    expect(await urlProblem('https://user:pw@example.com/', true)).toBe('url must not carry credentials');
  });
});
