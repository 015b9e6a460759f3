import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useLive } from '../live.ts';
import type { Route } from '../route.ts';
import { PairedBars, seriesColor, StepLineChart, ValueHistogramChart, type Series } from './svg-charts.tsx';

const MAX_BARS = 60;

/** Success against budget across runs, calls and tokens per task of one run, and one task's distribution of step values. */
export function ChartsView({ route }: { route: Route }) {
  const { data, error } = useLive(() => api.charts(), []);
  const [runId, setRunId] = useState(route.query.get('run') ?? '');
  const [taskId, setTaskId] = useState('');
  const chosenRun = data?.runs.find((r) => r.id === runId) ?? data?.runs[0];
  const chosenTask = taskId || chosenRun?.expansionsPerTask[0]?.taskId || '';
  const { data: tree } = useLive(() => (chosenRun && chosenTask ? api.tree(chosenRun.id, chosenTask, 1) : Promise.resolve(null)), [chosenRun?.id, chosenTask]);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p class="muted">Loading…</p>;
  const series: Series[] = data.runs.map((run) => ({
    label: `${run.id} ${run.label}`,
    points: run.solvedAt.map((expansions, i) => [Math.max(1, expansions), (i + 1) / Math.max(1, run.tasks)]),
  }));
  const withCalls = chosenRun && chosenRun.perTask.some((t) => t.calls > 0);
  return (
    <section class="charts">
      <h1>Charts</h1>
      <div class="charts-grid">
      <div class="chart-card">
        <h2>Success against budget</h2>
        <p class="muted">Share of each run's tasks solved within a given number of expansions.</p>
        <StepLineChart series={series} width={620} height={260} xLabel="expansions" yLabel="tasks solved" />
        {/* With many runs the legend scrolls inside its card instead of burying the chart (issue 17: 50 runs). */}
        <ul class="legend" aria-label={`${series.length} runs`}>{series.map((s, i) => <li key={s.label}><span class="swatch" style={{ background: seriesColor(i) }} />{s.label}</li>)}</ul>
      </div>
      <div class="chart-card">
        <h2>Per task of run{' '}
          <select value={chosenRun?.id} onChange={(e) => { setRunId(e.currentTarget.value); setTaskId(''); }}>
            {data.runs.map((run) => <option key={run.id} value={run.id}>{run.id} · {run.label}</option>)}
          </select>
        </h2>
        {chosenRun && (withCalls
          ? <PairedBars width={620} labels={['model calls', 'tokens']} rows={chosenRun.perTask.slice(0, MAX_BARS).map((t) => ({ label: t.taskId ?? '(no task)', a: t.calls, b: t.tokens }))} />
          : <>
            <p class="muted">This run made no model calls; expansions per task instead.</p>
            <PairedBars width={620} labels={['expansions']} rows={chosenRun.expansionsPerTask.slice(0, MAX_BARS).map((t) => ({ label: t.taskId, a: t.expansions }))} />
          </>)}
      </div>
      <div class="chart-card">
        <h2>Distribution of step values in task{' '}
          <select value={chosenTask} onChange={(e) => setTaskId(e.currentTarget.value)}>
            {chosenRun?.expansionsPerTask.map((t) => <option key={t.taskId} value={t.taskId}>{t.taskId}</option>)}
          </select>
        </h2>
        {tree ? (<>
          <ValueHistogramChart histogram={tree.values} width={620} height={180} axes />
          <p class="muted">{tree.nodeCount.toLocaleString('en-US')} nodes and {tree.candidateCount.toLocaleString('en-US')} unexecuted candidates; {tree.values.unscored} without a value.</p>
        </>) : <p class="muted">No task chosen.</p>}
      </div>
      </div>
    </section>
  );
}
