import { html, type SafeHtml } from '../dashboard/html.ts';

// Server-rendered SVG charts: no script, no external library. Every series differs by pattern, dash or marker as
// well as by colour, every mark carries a <title>, and the viewBox lets a chart shrink to a phone's width.

const WIDTH = 720;
const PLOT = { left: 44, right: 12, top: 28, bottom: 36 };
const INK = '#1f2933';
const GRID = '#d9dee3';

export type BarFill = 'solid' | 'hatch' | 'dots';
export interface BarSeries {
  name: string;
  fill: BarFill;
  color: string;
  values: number[];
}
export interface LineSeries {
  name: string;
  dash: 'solid' | 'dashed';
  marker: 'circle' | 'square';
  color: string;
  values: Array<number | null>;
}

/** A y axis maximum that is a round number at or above `max`, with its tick step. */
function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  return { top: Math.ceil(max / step) * step, step };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Labels under the x axis, thinned so that they never overlap (about 12 at most). */
function xLabels(labels: string[], xOf: (i: number) => number, height: number): SafeHtml[] {
  const every = Math.max(1, Math.ceil(labels.length / 12));
  return labels.map((label, i) =>
    i % every === 0
      ? html`<text x="${round(xOf(i))}" y="${height - PLOT.bottom + 16}" text-anchor="middle" font-size="11" fill="${INK}">${label}</text>`
      : html``,
  );
}

function yAxis(top: number, step: number, height: number, format: (n: number) => string): SafeHtml {
  const plotHeight = height - PLOT.top - PLOT.bottom;
  const ticks: SafeHtml[] = [];
  for (let v = 0; v <= top + step / 2; v += step) {
    const y = round(PLOT.top + plotHeight - (v / top) * plotHeight);
    ticks.push(html`<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${y}" y2="${y}" stroke="${GRID}"/>
<text x="${PLOT.left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="${INK}">${format(v)}</text>`);
  }
  return html`${ticks}`;
}

function patternDefs(id: string, series: BarSeries[]): SafeHtml {
  return html`<defs>${series.map((s, i) => {
    if (s.fill === 'hatch')
      return html`<pattern id="${id}-p${i}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="${s.color}"/></pattern>`;
    if (s.fill === 'dots')
      return html`<pattern id="${id}-p${i}" width="6" height="6" patternUnits="userSpaceOnUse">
<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.6" fill="${s.color}"/></pattern>`;
    return html``;
  })}</defs>`;
}

const fillOf = (id: string, s: BarSeries, i: number) => (s.fill === 'solid' ? s.color : `url(#${id}-p${i})`);

function legend(items: Array<{ name: string; swatch: SafeHtml }>): SafeHtml {
  return html`${items.map(
    (item, i) => html`<g transform="translate(${PLOT.left + i * 150},8)">${item.swatch}
<text x="22" y="11" font-size="12" fill="${INK}">${item.name}</text></g>`,
  )}`;
}

/** Grouped bars: one group per category (a week), one bar per series, each bar titled with its value. */
export function barChart(opts: {
  id: string;
  title: string;
  categories: string[];
  labels: string[];
  series: BarSeries[];
}) {
  const height = 260;
  const { top, step } = niceScale(Math.max(0, ...opts.series.flatMap((s) => s.values)));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = height - PLOT.top - PLOT.bottom;
  const band = plotWidth / Math.max(1, opts.categories.length);
  const barWidth = (band * 0.8) / opts.series.length;
  const xOf = (i: number) => PLOT.left + band * i + band / 2;
  const bars = opts.categories.flatMap((category, c) =>
    opts.series.map((s, i) => {
      const value = s.values[c] ?? 0;
      const h = (value / top) * plotHeight;
      const x = PLOT.left + band * c + band * 0.1 + barWidth * i;
      return html`<rect x="${round(x)}" y="${round(PLOT.top + plotHeight - h)}" width="${round(barWidth)}" height="${round(h)}" fill="${fillOf(opts.id, s, i)}" stroke="${s.color}" stroke-width="0.8"><title>${category}: ${value} ${s.name.toLowerCase()}</title></rect>`;
    }),
  );
  const items = opts.series.map((s, i) => ({
    name: s.name,
    swatch: html`<rect width="16" height="12" fill="${fillOf(opts.id, s, i)}" stroke="${s.color}"/>`,
  }));
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${opts.id}-title" data-chart="bars">
<title id="${opts.id}-title">${opts.title}</title>${patternDefs(opts.id, opts.series)}
${yAxis(top, step, height, String)}${bars}${xLabels(opts.labels, xOf, height)}${legend(items)}
</svg>`;
}

/** Lines over the same categories; a null value breaks its line (nothing to divide by that week). */
export function lineChart(opts: {
  id: string;
  title: string;
  categories: string[];
  labels: string[];
  series: LineSeries[];
  format: (n: number) => string;
}) {
  const height = 240;
  const { top, step } = niceScale(Math.max(0.05, ...opts.series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = height - PLOT.top - PLOT.bottom;
  const band = plotWidth / Math.max(1, opts.categories.length);
  const xOf = (i: number) => PLOT.left + band * i + band / 2;
  const yOf = (v: number) => PLOT.top + plotHeight - (v / top) * plotHeight;
  const marker = (s: LineSeries, x: number, y: number) =>
    s.marker === 'circle'
      ? html`<circle cx="${round(x)}" cy="${round(y)}" r="3.5" fill="${s.color}"/>`
      : html`<rect x="${round(x - 3.5)}" y="${round(y - 3.5)}" width="7" height="7" fill="${s.color}"/>`;
  const lines = opts.series.map((s) => {
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null) return;
      d += `${d === '' || s.values[i - 1] === null ? 'M' : 'L'}${round(xOf(i))},${round(yOf(v))} `;
    });
    const points = s.values.map((v, i) =>
      v === null
        ? html``
        : html`<g>${marker(s, xOf(i), yOf(v))}<title>${opts.categories[i]}: ${s.name.toLowerCase()} ${opts.format(v)}</title></g>`,
    );
    const dash = s.dash === 'dashed' ? '6 4' : 'none';
    return html`<path d="${d.trim()}" fill="none" stroke="${s.color}" stroke-width="2" stroke-dasharray="${dash}"/>${points}`;
  });
  const items = opts.series.map((s) => ({
    name: s.name,
    swatch: html`<line x1="0" x2="16" y1="6" y2="6" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash === 'dashed' ? '4 3' : 'none'}"/>${marker(s, 8, 6)}`,
  }));
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${opts.id}-title" data-chart="lines">
<title id="${opts.id}-title">${opts.title}</title>
${yAxis(top, step, height, opts.format)}${lines}${xLabels(opts.labels, xOf, height)}${legend(items)}
</svg>`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Weekday rows × hour columns; darker is busier, and every busy cell prints its count (readable without colour). */
export function heatMap(opts: { id: string; title: string; grid: number[][] }) {
  const cell = 27;
  const left = 40;
  const top = 22;
  const width = left + 24 * cell + 4;
  const height = top + 7 * cell + 4;
  const max = Math.max(1, ...opts.grid.flat());
  const cells = opts.grid.flatMap((hours, d) =>
    hours.map((n, h) => {
      const x = left + h * cell;
      const y = top + d * cell;
      const opacity = n === 0 ? 0 : round(0.15 + (0.85 * n) / max);
      const text = n >= max * 0.55 ? '#fff' : INK;
      return html`<g><rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="#1f4e79" fill-opacity="${opacity}" stroke="${GRID}"/>${
        n > 0 &&
        html`<text x="${x + (cell - 2) / 2}" y="${y + cell / 2 + 2}" text-anchor="middle" font-size="10" fill="${text}">${n}</text>`
      }<title>${WEEKDAYS[d]} ${String(h).padStart(2, '0')}:00: ${n} booked</title></g>`;
    }),
  );
  const hourLabels = Array.from({ length: 24 }, (_, h) =>
    h % 3 === 0
      ? html`<text x="${left + h * cell + (cell - 2) / 2}" y="${top - 8}" text-anchor="middle" font-size="10" fill="${INK}">${String(h).padStart(2, '0')}</text>`
      : html``,
  );
  const dayLabels = WEEKDAYS.map(
    (day, d) =>
      html`<text x="${left - 6}" y="${top + d * cell + cell / 2 + 2}" text-anchor="end" font-size="11" fill="${INK}">${day}</text>`,
  );
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${opts.id}-title" data-chart="heatmap">
<title id="${opts.id}-title">${opts.title}</title>${hourLabels}${dayLabels}${cells}
</svg>`;
}
