import { escapeHtml } from './html.ts';

export interface ChartPoint {
  x: number;
  y: number;
  low: number;
  high: number;
  label: string;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

export const SERIES_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f'];

/** A colour per series name, the same in every chart of a report. */
export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

/**
 * An inline SVG scatter of success (y, 0–1, with interval whiskers) against x, one line per series
 * (a strategy across budgets). No script and no external resources.
 */
export function scatterChart(options: { title: string; xLabel: string; series: ChartSeries[]; colorOf: (name: string) => string; width?: number; height?: number }): string {
  const width = options.width ?? 440;
  const height = options.height ?? 260;
  const margin = { left: 46, right: 14, top: 28, bottom: 40 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const xs = options.series.flatMap((s) => s.points.map((p) => p.x));
  const xMax = niceMax(Math.max(1, ...xs));
  const sx = (x: number) => margin.left + (x / xMax) * plotW;
  const sy = (y: number) => margin.top + (1 - y) * plotH;
  const parts: string[] = [];
  parts.push(`<text x="${width / 2}" y="16" text-anchor="middle" class="chart-title">${escapeHtml(options.title)}</text>`);
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${sy(tick)}" y2="${sy(tick)}" class="grid"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${sy(tick) + 4}" text-anchor="end" class="tick">${Math.round(tick * 100)}%</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const x = (xMax * i) / 4;
    parts.push(`<text x="${sx(x)}" y="${height - margin.bottom + 16}" text-anchor="middle" class="tick">${formatTick(x)}</text>`);
  }
  parts.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" class="axis"/>`);
  parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" class="axis"/>`);
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 6}" text-anchor="middle" class="axis-label">${escapeHtml(options.xLabel)}</text>`);
  for (const series of options.series) {
    const color = options.colorOf(series.name);
    const points = [...series.points].sort((a, b) => a.x - b.x);
    if (points.length > 1) {
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>`);
    }
    for (const p of points) {
      const cx = sx(p.x).toFixed(1);
      parts.push(`<line x1="${cx}" x2="${cx}" y1="${sy(p.low).toFixed(1)}" y2="${sy(p.high).toFixed(1)}" stroke="${color}" stroke-width="1.5" opacity="0.6"/>`);
      parts.push(`<circle cx="${cx}" cy="${sy(p.y).toFixed(1)}" r="4.5" fill="${color}"><title>${escapeHtml(`${p.label}: ${(p.y * 100).toFixed(0)}% [${(p.low * 100).toFixed(0)}–${(p.high * 100).toFixed(0)}%] at ${formatTick(p.x)}`)}</title></circle>`);
    }
  }
  return `<svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function niceMax(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value * 1.05) return step * magnitude;
  return 10 * magnitude;
}

function formatTick(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(value % 1000 === 0 ? 0 : 1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
