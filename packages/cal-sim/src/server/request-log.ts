/** One API request the simulator answered. */
export interface LogEntry {
  /** When it arrived (ms since epoch, from the simulator's clock). */
  at: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  apiVersion: string | null;
  /** The bearer key it carried, or null. */
  key: string | null;
}

/**
 * Every /v2 request in arrival order, so tests and benchmarks can check what clients really did
 * (how many requests, which versions, how many 429s, the busiest window).
 */
export class RequestLog {
  readonly entries: LogEntry[] = [];

  add(entry: LogEntry): void {
    this.entries.push(entry);
  }

  /** How many entries match `filter` (all when absent). */
  count(filter?: (entry: LogEntry) => boolean): number {
    return filter ? this.entries.filter(filter).length : this.entries.length;
  }

  count429(): number {
    return this.count((entry) => entry.status === 429);
  }

  /** The most requests seen in any window of `windowMs` (a window [t, t + windowMs) sliding over entry times). */
  maxInWindow(windowMs: number): number {
    const times = this.entries.map((entry) => entry.at).sort((a, b) => a - b);
    let best = 0;
    let first = 0;
    for (let last = 0; last < times.length; last++) {
      while (times[last]! - times[first]! >= windowMs) first++;
      best = Math.max(best, last - first + 1);
    }
    return best;
  }

  reset(): void {
    this.entries.length = 0;
  }
}
