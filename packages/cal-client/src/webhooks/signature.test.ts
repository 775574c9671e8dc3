import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from './signature.ts';

const body = Buffer.from('{"triggerEvent":"PING"}');

describe('verifySignature', () => {
  it('accepts the lowercase hex HMAC of the raw bytes under any configured secret', () => {
    expect(verifySignature(body, signBody(body, 'a'), ['a'])).toBe('valid');
    expect(verifySignature(body, signBody(body, 'old'), ['new', 'old'])).toBe('valid');
    expect(verifySignature(body, `sha256=${signBody(body, 'a')}`, ['a'])).toBe('valid');
    expect(verifySignature(body, signBody(body, 'a').toUpperCase(), ['a'])).toBe('valid');
  });

  it('treats an absent header and `no-secret-provided` as missing', () => {
    expect(verifySignature(body, undefined, ['a'])).toBe('missing');
    expect(verifySignature(body, '', ['a'])).toBe('missing');
    expect(verifySignature(body, 'no-secret-provided', ['a'])).toBe('missing');
  });

  it('refuses another secret, other bytes, a malformed or truncated signature', () => {
    expect(verifySignature(body, signBody(body, 'b'), ['a'])).toBe('invalid');
    expect(verifySignature(Buffer.from('{}'), signBody(body, 'a'), ['a'])).toBe('invalid');
    expect(verifySignature(body, 'not-hex', ['a'])).toBe('invalid');
    expect(verifySignature(body, signBody(body, 'a').slice(0, 32), ['a'])).toBe('invalid');
    expect(verifySignature(body, signBody(body, 'a'), [])).toBe('invalid');
  });
});
