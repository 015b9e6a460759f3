import { api, type FamilyMember } from '../api.ts';
import { formatPercent, originVerb } from '../format.ts';
import { useLive } from '../live.ts';
import { href } from '../route.ts';

/** How a member came from the run above it, in a few words. */
function describeOrigin(member: FamilyMember): string {
  const origin = member.origin;
  if (!origin) return 'first run';
  if (origin.runId === member.row.id) return originVerb(origin.kind);
  if (member.parentId === null) return `${origin.kind} of ${origin.runId} (not in this store)`;
  return `${origin.kind} of ${origin.runId}`;
}

/** The runs linked to this one by origin (its origin, forks, forks of forks), each with a link to compare it with its origin. */
export function RunFamily({ runId }: { runId: string }) {
  const { data, error } = useLive(() => api.family(runId), [runId]);
  if (error) return <p class="error">{error}</p>;
  if (!data) return null;
  if (data.members.length < 2) {
    return <p class="muted family-none">No family: no run forks this one, and it comes from no other run in this store. Fork it with <code>stepwise fork &lt;node&gt;</code>.</p>;
  }
  return (
    <section class="family" data-testid="family">
      <h2>Family <span class="muted">({data.members.length} runs linked by origin)</span></h2>
      <table class="grid family-table">
        <thead><tr><th>run</th><th>how</th><th>fork point</th><th>strategy</th><th>model</th><th class="num">success</th><th class="num">expansions</th><th>compare</th></tr></thead>
        <tbody>
          {data.members.map((member) => (
            <tr key={member.row.id} data-family-run={member.row.id} class={member.row.id === runId ? 'chosen' : ''}>
              <td style={{ paddingLeft: `${6 + member.generation * 18}px` }}>
                {member.generation > 0 ? '└ ' : ''}
                {member.row.id === runId ? <strong>{member.row.id}</strong> : <a href={href(['run', member.row.id])}>{member.row.id}</a>}
              </td>
              <td>{describeOrigin(member)}</td>
              <td>{member.compare
                ? <a href={href(['tree', member.row.id, member.compare.taskId], { node: member.compare.forkAt })}>{member.compare.forkAt}</a>
                : member.origin?.nodeId ?? ''}</td>
              <td>{member.row.strategy}</td>
              <td>{member.row.model}</td>
              <td class="num">{formatPercent(member.row.successRate)} ({member.row.solved}/{member.row.finished})</td>
              <td class="num">{member.row.expansions}</td>
              <td>{member.parentId !== null && <a href={href(['fork', member.row.id])}>compare with {member.parentId}</a>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
