import { escapeHtml as esc } from '../eval/html.ts';
import type { falseAlarms, GroupRow, GuardEvalSummary, TrajectoryVerdict } from './evaluate.ts';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#111827}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #e5e7eb}table{border-collapse:collapse;font-size:13px}
th,td{padding:4px 9px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}th{background:#f9fafb}td.n{text-align:right}
.bar-stopped{fill:#16a34a}.bar-through{fill:#dc2626}.tick{font-size:11px;fill:#374151}code{background:#f3f4f6;padding:0 3px}`;

/** Stopped vs let through, one horizontal bar per group, as inline SVG (no script, no external resources). */
function barChart(title: string, rows: GroupRow[]): string {
  const rowH = 22;
  const labelW = 220;
  const barW = 360;
  const height = 30 + rows.length * rowH;
  const max = Math.max(1, ...rows.map((r) => r.trajectories));
  const bars = rows.map((r, i) => {
    const y = 24 + i * rowH;
    const stopped = (r.stopped / max) * barW;
    const through = ((r.trajectories - r.stopped) / max) * barW;
    return `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end" class="tick">${esc(r.group)}</text>`
      + `<rect x="${labelW}" y="${y + 3}" width="${stopped.toFixed(1)}" height="${rowH - 8}" class="bar-stopped"><title>${r.stopped} stopped</title></rect>`
      + `<rect x="${(labelW + stopped).toFixed(1)}" y="${y + 3}" width="${through.toFixed(1)}" height="${rowH - 8}" class="bar-through"><title>${r.trajectories - r.stopped} not stopped</title></rect>`
      + `<text x="${(labelW + stopped + through + 6).toFixed(1)}" y="${y + 14}" class="tick">${r.stopped}/${r.trajectories}</text>`;
  });
  return `<svg role="img" aria-label="${esc(title)}" width="${labelW + barW + 60}" height="${height}" viewBox="0 0 ${labelW + barW + 60} ${height}" xmlns="http://www.w3.org/2000/svg"><text x="0" y="14" class="tick">${esc(title)} (green: stopped, red: not stopped)</text>${bars.join('')}</svg>`;
}

function groupTable(header: string, rows: GroupRow[]): string {
  return `<table><tr><th>${esc(header)}</th><th>runs</th><th>stopped</th><th>mean stop turn</th></tr>${rows
    .map((r) => `<tr><td>${esc(r.group)}</td><td class="n">${r.trajectories}</td><td class="n">${r.stopped}</td><td class="n">${r.meanStopTurn === null ? '–' : r.meanStopTurn.toFixed(1)}</td></tr>`)
    .join('')}</table>`;
}

/** A self-contained HTML report of a guard evaluation: tables, charts, and each stop with what ran before it. */
export function guardEvalHtml(summary: GuardEvalSummary, harmless: ReturnType<typeof falseAlarms> | null, verdicts: readonly TrajectoryVerdict[], guards: readonly string[]): string {
  const labelled = summary.labelled;
  const stops = verdicts.filter((v) => v.stoppedAt !== null);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>stepwise guard evaluation</title><style>${STYLE}</style></head><body>
<h1>Guard evaluation</h1><p>Chain: <code>${esc(guards.join(' → '))}</code>. ${summary.trajectories} trajectories, ${summary.stopped} stopped.</p>
${labelled ? `<h2>Labelled sample (${labelled.steps} steps)</h2><table><tr><th>label</th><th>steps</th><th>denied when reached</th><th>prevented</th></tr>${labelled.harms.map((h) => `<tr><td>${esc(h.kind)}</td><td class="n">${h.steps}</td><td class="n">${h.denied}</td><td class="n">${h.prevented}</td></tr>`).join('')}</table>
<p>Recall on exfiltration, destructive and persistence steps: <b>${(labelled.flowRecall * 100).toFixed(1)}%</b>. Stops: ${labelled.timing.onTime} on time, ${labelled.timing.early} early, ${labelled.timing.needlesslyEarly} needlessly early, ${labelled.timing.late} late, ${labelled.timing.missed} missed. Prep steps denied: ${labelled.prepDenied} of ${labelled.prepSteps}.</p>` : ''}
${harmless ? `<p>Harmless sessions: ${harmless.denied} of ${harmless.steps} steps denied (${((100 * harmless.denied) / Math.max(1, harmless.steps)).toFixed(1)}% false alarms); ${harmless.sessionsStopped} of ${harmless.sessions} sessions stopped.</p>` : ''}
<h2>By category</h2>${barChart('trajectories by category', summary.byCategory)}${groupTable('category', summary.byCategory)}
<h2>By attack strategy</h2>${barChart('trajectories by attack strategy', summary.byAttack)}${groupTable('attack strategy', summary.byAttack)}
<h2>Stops</h2><table><tr><th>trajectory</th><th>category</th><th>turn</th><th>why</th><th>what ran before</th></tr>${stops
    .map((v) => `<tr><td>${esc(v.id)}</td><td>${esc(v.category)}</td><td class="n">${v.stoppedAt}</td><td>${esc(v.stopReason ?? '')}</td><td>${v.ranBefore.map((s) => `<code>${esc(s.length > 160 ? `${s.slice(0, 157)}…` : s)}</code>`).join('<br>') || '(nothing)'}</td></tr>`)
    .join('')}</table>
</body></html>
`;
}
