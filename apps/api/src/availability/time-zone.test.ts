import { describe, expect, it } from 'vitest';
import { endOfDay, isTimeZone, startOfDay } from './time-zone.ts';

describe('time zones', () => {
  it('finds where a day begins and ends, across DST changes', () => {
    expect(new Date(startOfDay('2031-01-15', 'Europe/Berlin')).toISOString()).toBe('2031-01-14T23:00:00.000Z');
    expect(new Date(startOfDay('2031-07-15', 'Europe/Berlin')).toISOString()).toBe('2031-07-14T22:00:00.000Z');
    // 30 March 2031: Berlin springs forward, the day is 23 hours long.
    const start = startOfDay('2031-03-30', 'Europe/Berlin');
    expect(endOfDay('2031-03-30', 'Europe/Berlin') - start).toBe(23 * 3_600_000);
    expect(new Date(startOfDay('2031-01-15', 'America/New_York')).toISOString()).toBe('2031-01-15T05:00:00.000Z');
    expect(new Date(startOfDay('2031-01-15', 'UTC')).toISOString()).toBe('2031-01-15T00:00:00.000Z');
  });

  it('knows real zone names only', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const bad of ['Mars/Olympus', '', '../etc', 'Europe/Berlin; drop table', 'x'.repeat(100)]) {
      expect(isTimeZone(bad)).toBe(false);
    }
  });
});
