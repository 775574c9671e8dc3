/** One sample of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): throws on the first line that is neither a
 * well-formed HELP/TYPE comment nor a sample, naming the line. For tests that scrape /metrics.
 */
export function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const declared = new Map<string, string>();
  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line.slice(0, 80))})`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line) ?? [];
      if (!keyword || !name || !metricName.test(name)) throw new Error(`bad comment at ${where}`);
      if (keyword === 'TYPE') {
        if (!types.has(rest ?? '')) throw new Error(`unknown type at ${where}`);
        declared.set(name, rest ?? '');
      }
      return;
    }
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`bad sample at ${where}`);
    const [, name, labelText, valueText] = match;
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText !== 'NaN') throw new Error(`bad value at ${where}`);
    const labels: Record<string, string> = {};
    if (labelText) {
      labelPair.lastIndex = 0;
      while (labelPair.lastIndex < labelText.length) {
        const pair = labelPair.exec(labelText);
        if (!pair) throw new Error(`bad labels at ${where}`);
        labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
    }
    samples.push({ name: name!, labels, value });
  });
  return { samples, types: declared };
}

/** The value of the sample with this name whose labels include `labels`, or undefined. */
export function sampleValue(parsed: { samples: Sample[] }, name: string, labels: Record<string, string> = {}) {
  return parsed.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

/**
 * Scrapes `${baseUrl}/metrics` over HTTP with the bearer `token` and parses it; throws unless it answers 200 with the
 * token and 401 without it (a scrape target must never be open).
 */
export async function scrapeMetrics(baseUrl: string, token: string) {
  const anonymous = await fetch(`${baseUrl}/metrics`);
  if (anonymous.status !== 401) throw new Error(`/metrics without a token answered ${anonymous.status}, not 401`);
  const scraped = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await scraped.text();
  if (scraped.status !== 200) throw new Error(`/metrics with the token answered ${scraped.status}: ${text}`);
  return parsePrometheusText(text);
}
