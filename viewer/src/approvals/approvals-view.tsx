import { useEffect, useState } from 'preact/hooks';
import type { ApprovalAnswer, ApprovalList, PendingApproval } from '../../../src/guards/approval-types.ts';
import { getJson } from '../api.ts';
import { href } from '../route.ts';

/** Posts a decision on a held action: the viewer's only write, and only under `stepwise view --approvals`. */
async function postDecision(answer: ApprovalAnswer): Promise<void> {
  const response = await fetch('/api/approvals/decide', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `HTTP ${response.status}`);
  }
}

/** The approval page: every action guards held for a person, across runs and branches, each decided in place. */
export function ApprovalsView() {
  const [list, setList] = useState<ApprovalList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [by, setBy] = useState('');
  const load = async () => {
    try {
      const next = await getJson<ApprovalList>('/api/approvals');
      setList(next);
      setBy((old) => old || next.by);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => void load(), []);
  if (!list) return <p class={error ? 'error' : 'muted'}>{error ?? 'Loading held actions…'}</p>;
  const pending = list.runs.reduce((n, run) => n + run.approvals.filter((a) => a.decision === null).length, 0);
  return (
    <section class="approvals-page">
      <div class="toolbar">
        <h1>Approvals</h1>
        <span class="muted" data-testid="pending-count">{pending} pending</span>
        <label>deciding as <input type="text" data-testid="by" value={by} onInput={(e) => setBy((e.currentTarget as HTMLInputElement).value)} /></label>
        <button onClick={() => void load()}>Reload</button>
      </div>
      {error && <p class="error">{error}</p>}
      {list.runs.length === 0 && <p class="muted">No run of this store holds an action for approval.</p>}
      {list.runs.map((run) => (
        <div key={run.runId} class="approval-run">
          <h2>
            <a href={href(['run', run.runId])}>{run.runId}</a> <span class="muted">{run.env} · {run.strategy} · {run.status}</span>
          </h2>
          {run.status === 'paused' && run.approvals.every((a) => a.decision) && <p class="ok">All decided: continue it with <code>stepwise resume {run.runId}</code>.</p>}
          {run.approvals.map((held) => <HeldAction key={held.candidateId} held={held} by={by} onDecided={load} />)}
        </div>
      ))}
    </section>
  );
}

function HeldAction({ held, by, onDecided }: { held: PendingApproval; by: string; onDecided(): Promise<void> }) {
  const [reason, setReason] = useState('');
  const [edited, setEdited] = useState(held.actionText);
  const [error, setError] = useState<string | null>(null);
  const decide = async (verdict: ApprovalAnswer['verdict']) => {
    if (verdict === 'reject' && !reason.trim()) return setError('A rejection needs a reason.');
    try {
      await postDecision({ runId: held.runId, candidateId: held.candidateId, verdict, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(verdict === 'edit' ? { actionText: edited } : {}), ...(by.trim() ? { by: by.trim() } : {}) });
      setError(null);
      await onDecided();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const decision = held.decision;
  return (
    <article class="held-action" data-testid={`held-${held.candidateId}`}>
      <p>
        <a href={href(['tree', held.runId, held.taskId], { node: held.nodeId })}>task {held.taskId}</a> · held by <strong>{held.guard}</strong>: {held.reason}
      </p>
      <ol class="held-path">
        {held.path.length === 0 && <li class="muted">(the task's start)</li>}
        {held.path.map((step, i) => (
          <li key={i}>
            <code>{step.actionText}</code>
            {step.observation && <pre>{step.observation}</pre>}
          </li>
        ))}
      </ol>
      <p>Next action: <code data-testid="held-text">{held.actionText}</code></p>
      {decision ? (
        <p class={decision.verdict === 'reject' ? 'bad' : 'ok'} data-testid="decision">
          {decision.verdict} by {decision.by}{decision.reason ? ` (${decision.reason})` : ''}{decision.actionText ? `: ${decision.actionText}` : ''}
        </p>
      ) : (
        <div class="held-decide">
          <input type="text" placeholder="Reason (needed to reject)" value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
          <textarea rows={2} value={edited} onInput={(e) => setEdited((e.currentTarget as HTMLTextAreaElement).value)} />
          <div class="actions">
            <button class="primary" onClick={() => void decide('approve')}>Approve</button>
            <button onClick={() => void decide('reject')}>Reject</button>
            <button disabled={edited.trim() === held.actionText.trim() || !edited.trim()} onClick={() => void decide('edit')}>Run the edited action</button>
          </div>
        </div>
      )}
      {error && <p class="error">{error}</p>}
    </article>
  );
}
