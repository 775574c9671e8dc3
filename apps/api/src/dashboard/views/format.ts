import { html, type SafeHtml } from '../html.ts';

/** A valid IANA zone, or UTC: a bad zone stored from a webhook must not break the page. */
function zoneOrUtc(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** `Thu 15 Jan 2026, 14:00 (Europe/Berlin)`, or `—`. */
export function dateTimeIn(value: Date | string | null | undefined, timeZone?: string | null): string {
  if (value === null || value === undefined) return '—';
  const zone = zoneOrUtc(timeZone);
  const formatted = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(value));
  return `${formatted} (${zone})`;
}

/** `3 min ago`, `in 2 h`, `never`. */
export function ago(value: Date | string | null | undefined, now = Date.now()): string {
  if (value === null || value === undefined) return 'never';
  const seconds = Math.round((now - new Date(value).getTime()) / 1000);
  const abs = Math.abs(seconds);
  const text =
    abs < 60
      ? `${abs} s`
      : abs < 3600
        ? `${Math.round(abs / 60)} min`
        : abs < 172_800
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86_400)} d`;
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}

/** A coloured status badge; the colour comes from a fixed class list, never from the value itself. */
export function badge(status: string): SafeHtml {
  const known = /^[a-z_]+$/.test(status) ? status : 'unknown';
  return html`<span class="badge badge-${known}">${status}</span>`;
}
