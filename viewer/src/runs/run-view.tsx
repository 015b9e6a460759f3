import { api } from '../api.ts';
import { formatDuration, formatNumber, pretty } from '../format.ts';
import { useLive } from '../live.ts';
import { href, type Route } from '../route.ts';
import { RunFamily } from './run-family.tsx';

/** One run: its configuration and its tasks, each opening its tree. */
export function RunView({ route }: { route: Route }) {
  const runId = route.segments[0] ?? '';
  const { data, error } = useLive(() => api.run(runId), [runId]);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p class="muted">Loading run {runId}…</p>;
  const { run, row, tasks } = data;
  return (
    <section class="run">
      <div class="toolbar">
        <h1>Run {run.id}</h1>
        <span class="muted">{row.env} · {row.strategy} · {row.model} · {row.status} · started {run.startedAt}</span>
      </div>
      <details>
        <summary>Configuration</summary>
        <pre>{pretty({ strategy: run.strategy, proposer: run.proposer, scorers: run.scorers, budget: run.budget, seed: run.seed, taskSpec: run.taskSpec, tags: run.tags, origin: run.origin, provenance: run.provenance })}</pre>
      </details>
      <RunFamily runId={run.id} />
      <table class="grid tasks-table">
        <thead>
          <tr><th>task</th><th>goal</th><th>outcome</th><th class="num">expansions</th><th class="num">nodes</th><th class="num">model calls</th><th class="num">tokens</th><th class="num">cache hits</th><th class="num">wall</th></tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.taskId} data-task={task.taskId}>
              <td><a href={href(['tree', run.id, task.taskId])}>{task.taskId}</a></td>
              <td class="goal" title={task.goalText}>{task.goalText}</td>
              <td><span class={`outcome outcome-${task.result?.outcome ?? 'running'}`}>{task.result?.outcome ?? 'running'}</span>{task.result?.stopReason ? ` (${task.result.stopReason})` : ''}</td>
              <td class="num">{formatNumber(task.result?.expansions)}</td>
              <td class="num">{formatNumber(task.result?.nodes)}</td>
              <td class="num">{formatNumber(task.calls?.calls ?? 0)}</td>
              <td class="num">{formatNumber((task.calls?.inputTokens ?? 0) + (task.calls?.outputTokens ?? 0))}</td>
              <td class="num">{formatNumber(task.calls?.cacheHits ?? 0)}</td>
              <td class="num">{formatDuration(task.result?.wallMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
