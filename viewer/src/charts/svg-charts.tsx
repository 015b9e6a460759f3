import type { ValueHistogram } from '../api.ts';

const PALETTE = ['#3b6fd1', '#d1603b', '#1a9e4b', '#9b4bd1', '#d1a43b', '#3bb9d1', '#d13b8f', '#6b7b3b'];

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** Bars of the step-value distribution; hand-drawn SVG (no chart library needed for these few shapes). */
export function ValueHistogramChart({ histogram, width, height, axes = false }: { histogram: ValueHistogram; width: number; height: number; axes?: boolean }) {
  const max = Math.max(1, ...histogram.counts);
  const pad = axes ? 28 : 0;
  const barWidth = (width - pad) / Math.max(1, histogram.counts.length);
  const plot = height - (axes ? 18 : 0);
  return (
    <svg class="histogram" width={width} height={height} role="img" aria-label={`distribution of step values from ${histogram.min} to ${histogram.max}`}>
      <title>step values {histogram.min.toFixed(2)} … {histogram.max.toFixed(2)} ({histogram.unscored} unscored)</title>
      {histogram.counts.map((count, i) => {
        const h = (count / max) * (plot - 2);
        return <rect key={i} x={pad + i * barWidth + 0.5} y={plot - h} width={Math.max(1, barWidth - 1)} height={h} fill="#3b6fd1" />;
      })}
      {axes && (
        <>
          <text x={pad} y={height - 4} class="axis">{histogram.min.toFixed(2)}</text>
          <text x={width} y={height - 4} class="axis" text-anchor="end">{histogram.max.toFixed(2)}</text>
          <text x={0} y={10} class="axis">{max}</text>
        </>
      )}
    </svg>
  );
}

export interface Series {
  label: string;
  points: [number, number][];
}

/** Step lines with a log-scaled x axis when the range is wide (budgets span orders of magnitude). */
export function StepLineChart({ series, width, height, xLabel, yLabel }: { series: Series[]; width: number; height: number; xLabel: string; yLabel: string }) {
  const left = 44;
  const bottom = 34;
  const xs = series.flatMap((s) => s.points.map(([x]) => x)).filter((x) => x > 0);
  const xMax = Math.max(1, ...xs);
  const xMin = Math.max(1, Math.min(xMax, ...xs));
  const log = xMax / xMin > 50;
  const sx = (x: number) => left + (width - left - 10) * (log ? Math.log(Math.max(x, xMin)) - Math.log(xMin) : x) / (log ? Math.log(xMax) - Math.log(xMin) || 1 : xMax);
  const sy = (y: number) => 10 + (height - bottom - 10) * (1 - y);
  return (
    <svg width={width} height={height} class="chart" role="img" aria-label={`${yLabel} against ${xLabel}`}>
      <line x1={left} y1={sy(0)} x2={width - 10} y2={sy(0)} class="axis-line" />
      <line x1={left} y1={sy(0)} x2={left} y2={sy(1)} class="axis-line" />
      {[0, 0.25, 0.5, 0.75, 1].map((y) => <text key={y} x={left - 4} y={sy(y) + 4} class="axis" text-anchor="end">{Math.round(y * 100)}%</text>)}
      <text x={left} y={height - 4} class="axis">{log ? xMin : 0}</text>
      <text x={width - 10} y={height - 4} class="axis" text-anchor="end">{xMax.toLocaleString('en-US')}</text>
      <text x={(width + left) / 2} y={height - 4} class="axis" text-anchor="middle">{xLabel}{log ? ' (log scale)' : ''}</text>
      {series.map((s, i) => {
        let path = `M ${sx(log ? xMin : 0)} ${sy(0)}`;
        for (const [x, y] of s.points) path += ` H ${sx(x)} V ${sy(y)}`;
        path += ` H ${width - 10}`;
        return <path key={s.label} d={path} fill="none" stroke={seriesColor(i)} stroke-width={2}><title>{s.label}</title></path>;
      })}
    </svg>
  );
}

/** Horizontal paired bars (e.g. calls and tokens per task), each measure scaled to its own maximum; one bar a row when `labels` has one measure. */
export function PairedBars({ rows, width, labels }: { rows: { label: string; a: number; b?: number }[]; width: number; labels: [string, string] | [string] }) {
  const paired = labels.length === 2;
  const maxA = Math.max(1, ...rows.map((r) => r.a));
  const maxB = Math.max(1, ...rows.map((r) => r.b ?? 0));
  const labelWidth = 110;
  const half = paired ? (width - labelWidth - 20) / 2 : width - labelWidth - 10;
  const rowHeight = 16;
  return (
    <svg width={width} height={rows.length * rowHeight + 22} class="chart" role="img" aria-label={`${labels.join(' and ')} per task`}>
      <text x={labelWidth} y={12} class="axis">{labels[0]} (max {maxA.toLocaleString('en-US')})</text>
      {paired && <text x={labelWidth + half + 10} y={12} class="axis">{labels[1]} (max {maxB.toLocaleString('en-US')})</text>}
      {rows.map((row, i) => (
        <g key={row.label} transform={`translate(0, ${20 + i * rowHeight})`}>
          <text x={labelWidth - 6} y={11} class="axis" text-anchor="end">{row.label}</text>
          <rect x={labelWidth} y={2} width={(row.a / maxA) * half} height={rowHeight - 4} fill={seriesColor(0)}><title>{row.a.toLocaleString('en-US')}</title></rect>
          {paired && <rect x={labelWidth + half + 10} y={2} width={((row.b ?? 0) / maxB) * half} height={rowHeight - 4} fill={seriesColor(1)}><title>{(row.b ?? 0).toLocaleString('en-US')}</title></rect>}
        </g>
      ))}
    </svg>
  );
}
