/** A rate as a percentage with one decimal, or a dash when there was nothing to divide by. */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)} %`;
}

/** Minor units in `currency` as the owner reads money (`€150.00`); an unknown code still shows its amount. */
export function money(minor: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency: currency.toUpperCase() });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

/** Every currency's revenue, largest code-order first; a dash when nothing was earned. */
export function revenueText(revenue: Record<string, number>): string {
  const parts = Object.keys(revenue)
    .sort()
    .map((c) => money(revenue[c] ?? 0, c));
  return parts.length === 0 ? '—' : parts.join(' · ');
}

/** Minutes as the largest sensible units: `45 min`, `5 h 30 min`, `3 d 4 h`. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  const sign = minutes < 0 ? '−' : '';
  const m = Math.abs(minutes);
  if (m < 60) return `${sign}${m} min`;
  if (m < 1_440) return `${sign}${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const hours = Math.floor((m % 1_440) / 60);
  return `${sign}${Math.floor(m / 1_440)} d${hours ? ` ${hours} h` : ''}`;
}

/** A week's Monday as a short label: `16 Mar`. */
export function weekLabel(week: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${week}T00:00:00Z`),
  );
}

/** The change of a count against the previous period: `+3 (+25 %)`, `−2`, `±0`. */
export function countChange(now: number, before: number): string {
  const diff = now - before;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  const relative = before === 0 ? '' : ` (${sign}${Math.round((Math.abs(diff) / before) * 100)} %)`;
  return `${sign}${Math.abs(diff)}${relative}`;
}

/** The change of a rate in percentage points: `+4.2 pt`. */
export function rateChange(now: number | null, before: number | null): string {
  if (now === null || before === null) return 'no comparison';
  const diff = Math.round((now - before) * 1000) / 10;
  return `${diff > 0 ? '+' : diff < 0 ? '−' : '±'}${Math.abs(diff).toFixed(1)} pt`;
}
