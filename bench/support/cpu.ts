import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Which processes make up each named share of the machine's CPU. */
export type CpuGroups<K extends string> = Record<K, (process: { pid: number; name: string }) => boolean>;

/** CPU seconds (user + system, all threads) each group has used so far, read from /proc. */
export function cpuSeconds<K extends string>(groups: CpuGroups<K>): Record<K, number> {
  const ticksPerSecond = 100; // Linux USER_HZ
  const names = Object.keys(groups) as K[];
  const totals = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    // `pid (name) state ppid …`: the name may hold spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime, stime
    for (const group of names) {
      if (groups[group]({ pid: Number(entry), name })) totals[group] += seconds;
    }
  }
  return totals;
}

/**
 * Runs `work` and returns its result with the CPU each group spent per item (µs), and the most items per second
 * this machine's cores could serve at that cost (the CPU ceiling).
 */
export async function measureCpu<K extends string, T>(
  groups: CpuGroups<K>,
  work: () => Promise<T>,
  itemsOf: (result: T) => number,
): Promise<{ result: T; usPerItem: Record<K | 'total', number>; ceilingPerS: number }> {
  const before = cpuSeconds(groups);
  const result = await work();
  const after = cpuSeconds(groups);
  const items = Math.max(1, itemsOf(result));
  const usPerItem = { total: 0 } as Record<K | 'total', number>;
  for (const name of Object.keys(groups) as K[]) {
    usPerItem[name] = Math.round(((after[name] - before[name]) * 1e6) / items);
    usPerItem.total += usPerItem[name];
  }
  return { result, usPerItem, ceilingPerS: (cpus().length * 1e6) / Math.max(1, usPerItem.total) };
}
