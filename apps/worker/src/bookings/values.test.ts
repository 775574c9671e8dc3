import { describe, expect, it } from 'vitest';
import { storableJson } from './values.ts';

describe('storableJson', () => {
  it('returns storable JSON as it is, without copying it', () => {
    const booking = { uid: 'b-1', attendees: [{ name: 'Ada', email: 'ada@example.com' }], metadata: { note: 'é ✓' } };
    expect(storableJson(booking)).toBe(booking);
  });

  it('cleans NUL and lone surrogates in values and keys, at any depth, in a copy', () => {
    const hostile = { title: 'Intro\u0000 call', nested: [{ 'k\ud800': 'x\udc00y' }], count: 3, none: null };
    const copy = storableJson(hostile);
    expect(copy).toEqual({ title: 'Intro call', nested: [{ 'k\ufffd': 'x\ufffdy' }], count: 3, none: null });
    expect(hostile.title).toBe('Intro\u0000 call');
  });
});
