import { api } from '../api.ts';
import { PathsComparison } from '../compare/compare-view.tsx';
import { useLive } from '../live.ts';
import { href, type Route } from '../route.ts';
import { RunComparison } from './run-comparison.tsx';
import { RunFamily } from './run-family.tsx';

/** A fork against the run it comes from: their figures side by side, then both solution paths from the root with the fork point marked. */
export function ForkView({ route }: { route: Route }) {
  const runId = route.segments[0] ?? '';
  const { data, error } = useLive(() => api.family(runId), [runId]);
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p class="muted">Loading the family of {runId}…</p>;
  const member = data.members.find((m) => m.row.id === runId);
  const parent = data.members.find((m) => m.row.id === member?.parentId);
  if (!member || !parent) {
    return <p class="error">Run {runId} comes from no other run in this store. <a href={href(['run', runId])}>Back to the run</a>.</p>;
  }
  const compare = member.compare;
  return (
    <section class="fork-compare">
      <div class="toolbar">
        <h1>Fork <a href={href(['run', member.row.id])}>{member.row.id}</a> against its origin <a href={href(['run', parent.row.id])}>{parent.row.id}</a></h1>
        <span class="muted">{member.origin?.kind}{compare ? ` at ${compare.forkAt} in task ${compare.taskId}` : ''}</span>
      </div>
      <RunFamily runId={member.row.id} />
      <h2>Figures</h2>
      <RunComparison runs={[parent.row, member.row]} withConfig={false} />
      <details class="fork-config">
        <summary>Configuration side by side (strategy, proposer, scorers, budget)</summary>
        <RunComparison runs={[parent.row, member.row]} />
      </details>
      {compare
        ? <PathsComparison runA={parent.row.id} nodeA={compare.originNode} runB={member.row.id} nodeB={compare.forkNode} forkAt={compare.forkAt}
            title={`Paths from the root: A = ${parent.row.id}'s ${compare.originSolved ? 'solution' : 'fork point (no solution)'}, B = ${member.row.id}'s ${compare.forkSolved ? 'solution' : 'deepest node (no solution)'}`} />
        : <p class="muted">This run does not branch at a node, so there is no path to compare.</p>}
    </section>
  );
}
