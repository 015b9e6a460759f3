import { api, type RunDetail, type RunRow } from '../api.ts';
import { formatDuration, formatNumber, formatPercent, pretty } from '../format.ts';
import { useLive } from '../live.ts';

const METRICS: [string, (row: RunRow) => string][] = [
  ['env', (r) => r.env],
  ['strategy', (r) => r.strategy],
  ['model', (r) => r.model],
  ['tasks', (r) => formatNumber(r.tasks)],
  ['success rate', (r) => `${formatPercent(r.successRate)} (${r.solved}/${r.finished})`],
  ['expansions', (r) => formatNumber(r.expansions)],
  ['nodes', (r) => formatNumber(r.nodes)],
  ['model calls', (r) => formatNumber(r.modelCalls)],
  ['tokens', (r) => formatNumber(r.tokens)],
  ['cache hits', (r) => formatNumber(r.cacheHits)],
  ['wall time', (r) => formatDuration(r.wallMs)],
  ['status', (r) => r.status],
  ['budget', (r) => pretty(r.budget)],
];

/** Two or more runs side by side: their figures, their configuration, and each task's outcome. */
export function RunComparison({ runs, withConfig = true }: { runs: RunRow[]; withConfig?: boolean }) {
  const { data: details } = useLive(() => Promise.all(runs.map((row) => api.run(row.id))), [runs.map((r) => r.id).join(',')]);
  const taskIds = [...new Set((details ?? []).flatMap((detail) => detail.tasks.map((task) => task.taskId)))];
  const outcome = (detail: RunDetail, taskId: string) => {
    const result = detail.tasks.find((task) => task.taskId === taskId)?.result;
    return result ? `${result.outcome} · ${result.expansions} exp` : '–';
  };
  return (
    <section class="run-comparison">
      {withConfig && <h2>Comparing {runs.length} runs</h2>}
      <table class="grid compare-table">
        <thead><tr><th />{runs.map((row) => <th key={row.id}>{row.id}</th>)}</tr></thead>
        <tbody>
          {METRICS.map(([name, cell]) => (
            <tr key={name}><th>{name}</th>{runs.map((row) => <td key={row.id}><pre class="inline">{cell(row)}</pre></td>)}</tr>
          ))}
          {details && (
            <>
              {withConfig && <>
              <tr><th>strategy config</th>{details.map((d) => <td key={d.run.id}><pre class="inline">{pretty(d.run.strategy.config)}</pre></td>)}</tr>
              <tr><th>proposer</th>{details.map((d) => <td key={d.run.id}><pre class="inline">{pretty(d.run.proposer)}</pre></td>)}</tr>
              <tr><th>scorers</th>{details.map((d) => <td key={d.run.id}><pre class="inline">{d.run.scorers.map((s) => `${s.name} ×${s.weight}`).join(', ')}</pre></td>)}</tr>
              </>}
              {taskIds.slice(0, 200).map((taskId) => (
                <tr key={taskId}><th>{taskId}</th>{details.map((d) => <td key={d.run.id}>{outcome(d, taskId)}</td>)}</tr>
              ))}
            </>
          )}
        </tbody>
      </table>
    </section>
  );
}
