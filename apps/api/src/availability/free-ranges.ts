export interface TimeRange {
  start: string;
  end: string;
}

/**
 * Every free range of every day, sorted and merged: ranges that overlap or touch become one.
 * Cal.com's own strings are kept (their offsets), compared by the instant they name.
 */
export function mergeRanges(slots: Record<string, ReadonlyArray<TimeRange>>): TimeRange[] {
  const ranges = Object.values(slots)
    .flat()
    .map((r) => ({ start: r.start, end: r.end, startMs: Date.parse(r.start), endMs: Date.parse(r.end) }))
    .filter((r) => Number.isFinite(r.startMs) && Number.isFinite(r.endMs) && r.endMs > r.startMs)
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const merged: Array<(typeof ranges)[number]> = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.startMs <= last.endMs) {
      if (range.endMs > last.endMs) Object.assign(last, { end: range.end, endMs: range.endMs });
    } else {
      merged.push({ ...range });
    }
  }
  return merged.map(({ start, end }) => ({ start, end }));
}
