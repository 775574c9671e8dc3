import { describe, expect, it } from 'vitest';
import { offsetAt, offsetSegments } from './zone-offsets.ts';

const ms = (iso: string) => Date.parse(iso);

describe('offsetSegments', () => {
  it('finds the second each clock change of a year happens', () => {
    expect(offsetSegments('Europe/Berlin', ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z'))).toEqual([
      { untilMs: ms('2026-03-29T01:00:00Z'), offsetSeconds: 3600 },
      { untilMs: ms('2026-10-25T01:00:00Z'), offsetSeconds: 7200 },
      { untilMs: Number.POSITIVE_INFINITY, offsetSeconds: 3600 },
    ]);
  });

  it('handles zones without changes, with half hours, and south of the equator', () => {
    expect(offsetSegments('UTC', ms('2026-01-01T00:00:00Z'), ms('2026-12-31T00:00:00Z'))).toEqual([
      { untilMs: Number.POSITIVE_INFINITY, offsetSeconds: 0 },
    ]);
    expect(offsetSegments('Asia/Kolkata', ms('2026-01-01T00:00:00Z'), ms('2026-12-31T00:00:00Z'))).toEqual([
      { untilMs: Number.POSITIVE_INFINITY, offsetSeconds: 19_800 },
    ]);
    // Lord Howe moves its clocks by half an hour; Sydney's summer is at the start and end of the year.
    const lordHowe = offsetSegments('Australia/Lord_Howe', ms('2026-01-01T00:00:00Z'), ms('2026-12-31T00:00:00Z'));
    expect(lordHowe.map((s) => s.offsetSeconds)).toEqual([39_600, 37_800, 39_600]);
    expect(offsetAt('Australia/Sydney', ms('2026-01-15T00:00:00Z'))).toBe(39_600);
  });
});
