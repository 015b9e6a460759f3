import { api, type NodePath, type PathStep } from '../api.ts';
import { readPicks } from '../compare-picks.ts';
import { formatValue } from '../format.ts';
import { useLive } from '../live.ts';
import { href, type Route } from '../route.ts';

/** Two nodes' trajectories side by side from the root, the first step where they differ marked. */
export function CompareView({ route }: { route: Route }) {
  const q = route.query;
  const picks = readPicks();
  const runA = q.get('runA') ?? picks.a?.runId;
  const nodeA = q.get('nodeA') ?? picks.a?.nodeId;
  const runB = q.get('runB') ?? picks.b?.runId;
  const nodeB = q.get('nodeB') ?? picks.b?.nodeId;
  const ready = runA && nodeA && runB && nodeB;
  if (!ready) {
    return <section class="compare"><h1>Compare two paths</h1><p class="muted">Open a tree, select a node and press “set as path A”, then another and “set as path B”.</p></section>;
  }
  return (
    <section class="compare">
      <PathsComparison runA={runA} nodeA={nodeA} runB={runB} nodeB={nodeB} forkAt={q.get('forkAt')} title="Compare two paths" />
    </section>
  );
}

export interface PathsComparisonProps {
  runA: string;
  nodeA: string;
  runB: string;
  nodeB: string;
  /** A fork point both paths may run through: its step is marked. */
  forkAt?: string | null;
  title: string;
}

/** Both trajectories from the root, one row per step, the first step where they differ (and a fork point) marked. */
export function PathsComparison({ runA, nodeA, runB, nodeB, forkAt = null, title }: PathsComparisonProps) {
  const { data, error } = useLive(() => api.compare(runA, nodeA, runB, nodeB), [runA, nodeA, runB, nodeB]);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p class="muted">Loading both paths…</p>;
  const rows = Math.max(data.a.steps.length, data.b.steps.length);
  const forkStep = forkAt === null ? -1 : data.b.steps.findIndex((step) => step.id === forkAt);
  return (
    <>
      <div class="toolbar">
        <h2>{title}</h2>
        <span class="muted" data-testid="divergence">
          {data.divergeAt === null ? 'The paths are the same.' : `They diverge at step ${data.divergeAt}${data.divergeAt === 0 ? ' (different roots)' : ''}.`}
          {forkStep >= 0 ? ` Fork point: step ${forkStep} (${forkAt}).` : ''}
        </span>
      </div>
      <table class="grid compare-paths">
        <thead>
          <tr><th>step</th><PathHeader path={data.a} label="A" /><PathHeader path={data.b} label="B" /></tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, i) => (
            <tr key={i} class={`${i === data.divergeAt ? 'diverge' : data.divergeAt !== null && i > data.divergeAt ? 'after' : 'shared'}${i === forkStep ? ' fork-point' : ''}`} data-step={i}>
              <th>{i}{i === forkStep ? ' ◆ fork point' : ''}{i === data.divergeAt ? ' ⟵ diverge' : ''}</th>
              <StepCell step={data.a.steps[i]} />
              <StepCell step={data.b.steps[i]} />
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function PathHeader({ path, label }: { path: NodePath; label: string }) {
  const last = path.steps.at(-1);
  return (
    <th>
      {label}: <a href={href(['tree', path.runId, path.taskId], { node: path.nodeId })}>{path.nodeId}</a>
      <span class="muted"> · {path.steps.length - 1} step{path.steps.length === 2 ? '' : 's'}{last?.success ? ' · success' : last?.terminal ? ' · terminal' : ''}</span>
    </th>
  );
}

function StepCell({ step }: { step: PathStep | undefined }) {
  if (!step) return <td class="muted">—</td>;
  return (
    <td class={step.success ? 'ok' : !step.valid ? 'bad' : ''}>
      <div><code>{step.actionText ?? 'root'}</code> <span class="muted">v={formatValue(step.value)} · r={step.reward}{step.valid ? '' : ` · invalid: ${step.checkReason ?? ''}`}{step.success ? ' · ✓' : ''}</span></div>
      {step.observation && <pre class="observation small">{step.observation}</pre>}
    </td>
  );
}
