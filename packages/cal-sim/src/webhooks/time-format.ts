/** The ways Cal.com writes an instant in webhook bodies (dayjs `.format()`, `toISOString()`, offsets). */
export const timeFormats = ['z', 'z-millis', 'offset', 'offset-millis'] as const;
export type TimeFormat = (typeof timeFormats)[number];

/** Writes `iso` (any instant) in one of Cal.com's formats, always in UTC. */
export function formatTime(iso: string | Date, format: TimeFormat): string {
  const full = new Date(iso).toISOString(); // 2026-01-15T12:00:00.000Z
  const noMillis = full.replace(/\.\d{3}Z$/, 'Z');
  switch (format) {
    case 'z':
      return noMillis;
    case 'z-millis':
      return full;
    case 'offset':
      return noMillis.replace(/Z$/, '+00:00');
    case 'offset-millis':
      return full.replace(/Z$/, '+00:00');
  }
}

/** The format a booking's times are written in: fixed per booking id, so every delivery about it agrees. */
export function formatFor(bookingId: number): TimeFormat {
  return timeFormats[Math.abs(bookingId) % timeFormats.length]!;
}
