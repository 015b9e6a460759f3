import { useState } from 'preact/hooks';
import { api, type NodeDetail } from '../api.ts';
import { pick, readPicks } from '../compare-picks.ts';
import { formatNumber, formatValue, pretty } from '../format.ts';
import { useLive } from '../live.ts';
import { href, navigate } from '../route.ts';
import { Annotations } from './annotations-view.tsx';
import { ModelCallView } from './model-call.tsx';

/** Everything recorded about one node. Record text is rendered as text nodes only, never as markup. */
export function NodePanel({ runId, nodeId, onPick }: { runId: string; nodeId: string; onPick(id: string): void }) {
  const { data, error } = useLive(() => api.node(runId, nodeId), [runId, nodeId]);
  const [picks, setPicks] = useState(readPicks);
  if (error && !data) return <p class="error">{error}</p>;
  if (!data) return <p class="muted">Loading {nodeId}…</p>;
  const { node, stats } = data;
  return (
    <div class="node-panel" data-node={node.id}>
      <h2>{node.actionText ?? 'root'} <span class="muted">{node.id} · depth {node.depth}</span></h2>
      <div class="badges">
        {node.success && <span class="badge ok">success</span>}
        {node.terminal && !node.success && <span class="badge bad">terminal</span>}
        {!node.check.valid && <span class="badge warn">invalid step</span>}
        {node.duplicateOf && <span class="badge muted">duplicate of <a href={href(['tree', runId, node.taskId], { node: node.duplicateOf })}>{node.duplicateOf}</a></span>}
        {stats?.selected && <span class="badge info">selected by the strategy</span>}
        {stats?.pruned && <span class="badge muted">pruned: {stats.pruned}</span>}
      </div>
      <div class="actions">
        <button type="button" onClick={() => setPicks(pick('a', { runId, nodeId }))}>set as path A</button>
        <button type="button" onClick={() => setPicks(pick('b', { runId, nodeId }))}>set as path B</button>
        {picks.a && picks.b && (
          <button type="button" onClick={() => navigate(['compare'], { runA: picks.a!.runId, nodeA: picks.a!.nodeId, runB: picks.b!.runId, nodeB: picks.b!.nodeId })}>
            compare {picks.a.nodeId} ↔ {picks.b.nodeId}
          </button>
        )}
      </div>
      <dl class="facts">
        <dt>reward</dt><dd>{node.reward}</dd>
        <dt>visits</dt><dd>{stats?.visits ?? '–'}</dd>
        <dt>search value</dt><dd>{formatValue(stats?.value)}</dd>
        <dt>path</dt><dd class="path">{data.path.map((id, i) => <span key={id}>{i > 0 && ' › '}<a href={href(['tree', runId, node.taskId], { node: id })} onClick={(e) => { e.preventDefault(); onPick(id); }}>{id.slice(id.lastIndexOf('.') + 1)}</a></span>)}</dd>
      </dl>
      <Screenshot state={node.state} />
      <h3>State</h3>
      <pre class="state">{data.rendered ?? pretty(node.state)}</pre>
      {node.observation && (<><h3>Observation</h3><pre class="observation">{node.observation}</pre></>)}
      <h3>Per-step check</h3>
      <pre class={node.check.valid ? 'check ok' : 'check bad'}>{node.check.valid ? 'valid' : `invalid: ${node.check.reason ?? ''}`}{node.check.detail ? `\n${pretty(node.check.detail)}` : ''}</pre>
      <Candidates detail={data} onPick={onPick} />
      <h3>Annotations ({data.annotations.length})</h3>
      <Annotations annotations={data.annotations} />
      <h3>Model calls ({data.modelCalls.length})</h3>
      {data.modelCalls.length === 0 ? <p class="muted">This node's expansion made no model call.</p> : data.modelCalls.map((call) => <ModelCallView key={call.id} call={call} />)}
    </div>
  );
}

/** A step's screenshot, when its state names one (the browser environment's `screenshot`: a file beside the store). */
function Screenshot({ state }: { state: unknown }) {
  const path = typeof state === 'object' && state !== null ? (state as { screenshot?: unknown }).screenshot : undefined;
  if (typeof path !== 'string' || path === '') return null;
  return (
    <>
      <h3>Screenshot</h3>
      <img class="screenshot" src={`/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`} alt="the page after this step" />
    </>
  );
}

// The owners' constants (src/search/tree-records.ts, src/replay/resume.ts) are server code, so they are named here.
const GUARD = 'guard';
const APPROVAL = 'approval';

/**
 * What guards and people decided on a candidate beyond its own refusal (which invalidReason says): rewrites with
 * the action they replaced, decisions before the last in the chain, and the approval a held candidate got.
 */
function decisionNotes(annotations: NodeDetail['annotations'], candidateId: string): string[] {
  const notes: string[] = [];
  for (const a of annotations) {
    if (a.key !== candidateId) continue;
    if (a.kind === GUARD) {
      const records = a.data as { guard: string; decision: string; reason: string; original?: string }[];
      records.forEach((r, i) => {
        if (r.decision === 'rewrite' || i < records.length - 1) notes.push(`guard ${r.guard}: ${r.decision} — ${r.reason}${r.original !== undefined ? ` (was: ${r.original})` : ''}`);
      });
    } else if (a.kind === APPROVAL) {
      const d = a.data as { verdict: string; by: string; reason?: string; actionText?: string };
      notes.push(`approval: ${d.verdict} by ${d.by}${d.reason ? ` (${d.reason})` : ''}${d.verdict === 'edit' && d.actionText ? `: ${d.actionText}` : ''}`);
    }
  }
  return notes;
}

function Candidates({ detail, onPick }: { detail: NodeDetail; onPick(id: string): void }) {
  const scorerNames = [...new Set(detail.candidates.flatMap((c) => c.scores.map((s) => s.scorer)))];
  return (
    <>
      <h3>Candidates ({detail.candidates.length})</h3>
      {detail.candidates.length === 0 ? <p class="muted">Not expanded.</p> : (
        <div class="table-scroll"><table class="grid candidates">
          <thead>
            <tr><th>#</th><th>candidate</th><th>proposer</th><th class="num">prior</th>
              {scorerNames.map((name) => <th key={name} class="num scorer" title={name}>{name}</th>)}
              <th class="num">value</th><th>guard / validity</th></tr>
          </thead>
          <tbody>
            {detail.candidates.map((candidate) => (
              <tr key={candidate.id} class={candidate.invalidReason ? 'invalid' : ''} data-candidate={candidate.id}>
                <td>{candidate.index}</td>
                <td><code>{candidate.text}</code></td>
                <td class="proposer" title={candidate.proposer}>{candidate.proposer}</td>
                <td class="num">{formatValue(candidate.prior)}</td>
                {scorerNames.map((name) => {
                  const score = candidate.scores.find((s) => s.scorer === name);
                  return <td key={name} class="num" title={score?.detail ?? ''}>{formatValue(score?.value)}{score?.detail ? ' ⓘ' : ''}</td>;
                })}
                <td class="num">{formatValue(candidate.value)}</td>
                <td>
                  {candidate.invalidReason ? <span class="bad">✗ {candidate.invalidReason}</span> : <span class="ok">allowed</span>}
                  {decisionNotes(detail.annotations, candidate.id).map((note, i) => <div key={i} class="guard-note" data-testid="guard-note">{note}</div>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      {detail.candidates.some((c) => c.scores.some((s) => s.detail)) && (
        <details>
          <summary>Score details</summary>
          <ul>{detail.candidates.flatMap((c) => c.scores.filter((s) => s.detail).map((s) => <li key={`${c.id}/${s.scorer}`}><code>{c.text}</code> · {s.scorer}: {s.detail}</li>))}</ul>
        </details>
      )}
      <p class="muted">Scorers: {detail.scorers.map((s) => `${s.name} ×${formatNumber(s.weight, 2)}`).join(', ') || 'none'}. <a href="#" onClick={(e) => { e.preventDefault(); onPick(detail.node.id); }}>refresh</a></p>
    </>
  );
}
