import { describe, expect, it } from 'vitest';
import { mergeRanges } from './free-ranges.ts';

describe('mergeRanges', () => {
  it('merges ranges that overlap or touch, across days, in time order', () => {
    const merged = mergeRanges({
      '2031-01-02': [{ start: '2031-01-02T09:00:00Z', end: '2031-01-02T10:00:00Z' }],
      '2031-01-01': [
        { start: '2031-01-01T09:30:00+01:00', end: '2031-01-01T10:00:00+01:00' },
        { start: '2031-01-01T09:00:00Z', end: '2031-01-01T09:30:00Z' },
        { start: '2031-01-01T09:00:00+01:00', end: '2031-01-01T09:45:00+01:00' },
        { start: '2031-01-01T11:00:00Z', end: '2031-01-01T11:30:00Z' },
      ],
    });
    expect(merged).toEqual([
      { start: '2031-01-01T09:00:00+01:00', end: '2031-01-01T09:30:00Z' },
      { start: '2031-01-01T11:00:00Z', end: '2031-01-01T11:30:00Z' },
      { start: '2031-01-02T09:00:00Z', end: '2031-01-02T10:00:00Z' },
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(mergeRanges({})).toEqual([]);
  });
});
