import { DEFAULT_VIEWER_URL, escapeHtml as esc, viewerLink } from './html.ts';
import type { ConfigSummary, EvalSummary, TaskCell } from './summary.ts';
import { createHash } from 'node:crypto';
import { scatterChart, SERIES_COLORS, seriesColor, type ChartSeries } from './svg-chart.ts';

const pct = (value: number) => `${(value * 100).toFixed(0)}%`;
const interval = (i: { estimate: number; low: number; high: number }) => `${pct(i.estimate)} <span class="ci">[${pct(i.low)}–${pct(i.high)}]</span>`;
const num = (value: number | null, digits = 1) => (value === null ? '–' : value.toFixed(digits));

// Swatches take classes, not style attributes, so a strict CSP (one hashed <style>) renders the page.
const STYLE = `${SERIES_COLORS.map((color, i) => `.s${i}{background:${color}}`).join('')}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1180px;padding:0 16px;color:#111827;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.meta{color:#4b5563;margin:0 0 4px}.ci{color:#6b7280;font-size:12px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}th,td{padding:4px 9px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.runs a{margin-right:5px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.charts{display:flex;flex-wrap:wrap;gap:18px}.chart{border:1px solid #e5e7eb;border-radius:6px;background:#fff}
.chart .grid{stroke:#f3f4f6}.chart .axis{stroke:#9ca3af}.chart .tick{font-size:10px;fill:#6b7280}.chart .axis-label{font-size:11px;fill:#374151}.chart .chart-title{font-size:12px;font-weight:600;fill:#111827}
.legend{font-size:12px;margin:4px 0}.legend span{margin-right:14px}
.grid-table td.cell{text-align:center;min-width:70px;font-size:12px}.cell a{color:inherit;text-decoration:none;display:block}
.ok{background:#dcfce7}.part{background:#fef9c3}.bad{background:#fee2e2}.missed{display:block;color:#7f1d1d;font-size:11px}
.note{color:#4b5563;font-size:12px;max-width:900px}.sig{font-weight:600}code{background:#f3f4f6;padding:0 3px;border-radius:3px}
`;

/** A Content-Security-Policy under which the report renders fully: its one inline style, nothing else. */
export const REPORT_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ReportOptions {
  /** Where `stepwise view` listens, for links into runs (default http://127.0.0.1:4173). */
  viewerUrl?: string;
}

/** The eval's report as one self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched. */
export function renderEvalReport(summary: EvalSummary, options: ReportOptions = {}): string {
  const viewer = options.viewerUrl ?? DEFAULT_VIEWER_URL;
  const strategies = [...new Set(summary.configs.map((c) => c.strategy))];
  const colorOf = (strategy: string) => seriesColor(strategies.indexOf(strategy));
  const swatchOf = (strategy: string) => `swatch s${strategies.indexOf(strategy) % SERIES_COLORS.length}`;
  const body = [
    `<h1>Eval ${esc(summary.suite.name)}</h1>`,
    `<p class="meta">eval <code>${esc(summary.evalId)}</code> · ${summary.suite.epochs} epoch(s) · seed ${summary.suite.seed} · ${summary.tasks.length} task(s) · generated ${esc(summary.generatedAt)}${summary.complete ? '' : ' · <strong>incomplete: the eval was interrupted; rerun it to finish</strong>'}</p>`,
    summary.suite.description ? `<p class="meta">${esc(summary.suite.description)}</p>` : '',
    '<h2>Configurations</h2>',
    configTable(summary.configs, swatchOf, viewer),
    '<h2>Success and key-node completion</h2>',
    resultsTable(summary),
    '<h2>Success against budget and cost</h2>',
    charts(summary.configs, strategies, colorOf, swatchOf),
    '<h2>Paired comparisons</h2>',
    comparisonsTable(summary),
    '<h2>Where each configuration fails</h2>',
    taskGrid(summary, viewer),
    notes(summary),
  ].join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Eval ${esc(summary.suite.name)} · stepwise</title><style>${STYLE}</style></head><body>\n${body}\n</body></html>\n`;
}

function configTable(configs: ConfigSummary[], swatchOf: (s: string) => string, viewer: string): string {
  const rows = configs.map((c) => {
    const options = Object.entries(c.options).map(([k, v]) => `${k}=${v}`).join(' ') || '–';
    const budget = Object.entries(c.budget).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    const runs = c.runs.map((id, i) => `<a href="${esc(viewerLink(viewer, { run: id }))}" title="run ${esc(id)}">${i + 1}</a>`).join('');
    return `<tr><td><span class="${swatchOf(c.strategy)}"></span>${esc(c.name)}</td><td>${esc(c.strategy)}</td><td>${esc(options)}</td><td>${esc(c.scorers.join(', ') || 'none')}</td><td>${esc(c.model ?? 'enumerator (no model)')}</td><td>${esc(budget)}</td><td class="n">${c.samples}</td><td class="runs">${runs}</td></tr>`;
  });
  return `<table><thead><tr><th>configuration</th><th>strategy</th><th>options</th><th>scorers</th><th>proposer / model</th><th>budget per task</th><th>samples</th><th>runs (open in stepwise view)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function resultsTable(summary: EvalSummary): string {
  const reducers = summary.suite.reducers;
  const tokens = summary.configs.some((c) => c.meanTokens > 0);
  const rows = summary.configs.map((c) => {
    const k = c.keyNodes;
    const reduced = reducers.map((r) => (c.reducers[r] === undefined ? '–' : (c.reducers[r] * 100).toFixed(0))).join(' · ');
    // Without key nodes the key-node figures are undefined, not 0%.
    const keyed = k.scoredTasks > 0;
    const dash = '<td class="n">–</td>';
    return `<tr><td>${esc(c.name)}</td><td class="n">${interval(c.solved)}</td>${keyed ? `<td class="n">${interval(c.keySuccess)}</td><td class="n">${interval(c.completion)}</td><td class="n">${pct(k.stepScore)}</td><td class="n">${pct(k.nearSuccessRate)}</td>` : dash.repeat(4)}<td class="n">${num(k.efficiency, 2)}</td><td class="n">${num(k.expansionsPerKeyNode)}</td>${tokens ? `<td class="n">${num(k.tokensPerKeyNode, 0)}</td>` : ''}<td class="n">${reduced} %</td><td class="n">${num(c.meanExpansions)}</td></tr>`;
  });
  return `<table><thead><tr><th>configuration</th><th>solved [95% Wilson]</th><th>key-node success</th><th>key-node completion</th><th>step score</th><th>near success</th><th>steps per key node</th><th>expansions per key node</th>${tokens ? '<th>tokens per key node</th>' : ''}<th>solved over epochs: ${esc(reducers.join(' · '))}</th><th>mean expansions</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function charts(configs: ConfigSummary[], strategies: string[], colorOf: (s: string) => string, swatchOf: (s: string) => string): string {
  const series = (x: (c: ConfigSummary) => number | undefined): ChartSeries[] =>
    strategies.map((strategy) => ({
      name: strategy,
      points: configs
        .filter((c) => c.strategy === strategy && x(c) !== undefined)
        .map((c) => ({ x: x(c)!, y: c.solved.estimate, low: c.solved.low, high: c.solved.high, label: c.name })),
    }));
  const hasTokens = configs.some((c) => c.meanTokens > 0);
  const legend = `<div class="legend">${strategies.map((s) => `<span><span class="${swatchOf(s)}"></span>${esc(s)}</span>`).join('')}</div>`;
  return `${legend}<div class="charts">${[
    scatterChart({ title: 'Solved vs expansion budget per task', xLabel: 'budget: max expansions per task', series: series((c) => c.budget.expansions), colorOf }),
    scatterChart({ title: 'Solved vs cost', xLabel: 'mean expansions used per task', series: series((c) => c.meanExpansions), colorOf }),
    hasTokens ? scatterChart({ title: 'Solved vs model tokens', xLabel: 'mean tokens per task', series: series((c) => c.meanTokens), colorOf }) : '',
  ].join('')}</div>`;
}

function comparisonsTable(summary: EvalSummary): string {
  if (summary.comparisons.length === 0) return '<p class="note">One configuration: nothing to compare.</p>';
  const rows = summary.comparisons.map((c) => {
    const d = c.difference;
    // Called a difference only when the bootstrap interval excludes 0 and the paired test agrees.
    const sure = (d.low > 0 || d.high < 0) && c.pValue < 0.05;
    const verdict = !sure ? 'no clear difference' : d.estimate > 0 ? `${c.a} better` : `${c.b} better`;
    return `<tr><td>${esc(c.a)} − ${esc(c.b)}</td><td class="n">${c.tasks}</td><td class="n">${(d.estimate * 100).toFixed(1)} pts <span class="ci">[${(d.low * 100).toFixed(1)}, ${(d.high * 100).toFixed(1)}]</span></td><td class="n">${c.pValue < 0.001 ? '&lt;0.001' : c.pValue.toFixed(3)}${c.exact ? '' : ' (MC)'}</td><td class="${sure ? 'sig' : ''}">${esc(verdict)}</td></tr>`;
  });
  return `<table><thead><tr><th>A − B</th><th>paired tasks</th><th>difference in success [95% bootstrap]</th><th>p</th><th>reading</th></tr></thead><tbody>${rows.join('')}</tbody></table><p class="note">Test: ${esc(summary.test)}. Bootstrap: 2,000 resamples of tasks, seeded. Success per task is the mean over epochs.</p>`;
}

function cellClass(cell: TaskCell): string {
  if (cell.solved === cell.epochs) return 'ok';
  return cell.solved > 0 || cell.keyMet > 0 ? 'part' : 'bad';
}

function taskGrid(summary: EvalSummary, viewer: string): string {
  const configs = summary.configs.map((c) => c.name);
  const rows = summary.tasks.map((row) => {
    const cells = configs.map((name) => {
      const cell = row.cells[name];
      if (!cell) return '<td class="cell">–</td>';
      const title = `${name} on ${row.taskId}: solved ${cell.solved}/${cell.epochs} epochs, key nodes ${cell.keyMet}/${cell.keyTotal}${cell.missed.length ? `; never met: ${cell.missed.join('; ')}` : ''}`;
      const missed = cell.missed.length ? `<span class="missed">misses ${esc(cell.missed.length === 1 ? cell.missed[0] : `${cell.missed.length} nodes`)}</span>` : '';
      return `<td class="cell ${cellClass(cell)}" title="${esc(title)}"><a href="${esc(viewerLink(viewer, { run: cell.runIds[0], task: row.taskId }))}">${cell.solved}/${cell.epochs} · ${cell.keyTotal ? pct(cell.keyMet / cell.keyTotal) : '–'}${missed}</a></td>`;
    });
    return `<tr><td>${esc(row.taskSet)}</td><td>${esc(row.taskId)}</td><td class="n">${row.keyNodes.length}</td>${cells.join('')}</tr>`;
  });
  return `<p class="note">Each cell: epochs solved / epochs · key nodes met over all epochs; the key nodes no epoch met are named (hover for the full list). Click a cell to open the task's first run in <code>stepwise view</code>.</p><table class="grid-table"><thead><tr><th>task set</th><th>task</th><th>key nodes</th>${configs.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function notes(summary: EvalSummary): string {
  return `<h2>How to read this</h2><ul class="note">
<li><b>Solved</b>: the environment's verdict (goal reached) over all (task, epoch) samples, with a 95% Wilson interval (samples of one task across epochs are not independent, so the interval is optimistic when epochs &gt; 1; the paired comparisons resample whole tasks).</li>
<li><b>Key nodes</b> (WebCanvas): each key node keeps its best score over the evaluated path, in any order; it is met at score 1. The path is the solution's when the task was solved, else the strategy's chosen path (root to the deepest node it kept). <b>Key-node success</b>: every node met; <b>completion</b>: node scores over all nodes (micro-average); <b>step score</b>: each task's score / nodes, averaged over tasks (macro); <b>near success</b>: exactly one node's worth missing; <b>steps per key node</b>: path steps / node score sum.</li>
<li><b>Reducers</b> across ${summary.suite.epochs} epoch(s) per task, then averaged over tasks: mean, max, majority (more than half the epochs), pass@k = 1 − C(n−c,k)/C(n,k).</li>
<li>Derived key nodes: STRIPS, each goal fact false at the start becoming true; Game of 24, at each depth a state from which 24 is still reachable (any solution's intermediate numbers), and 24 itself.</li>
</ul>`;
}
