import type { AnnotationRecord, NodeCredit } from '../api.ts';
import { formatValue, pretty } from '../format.ts';

// Kinds with a view of their own; the owners' constants (src/credit, src/eval) are server code, so they are named here.
const CREDIT = 'credit';
const KEY_NODE = 'eval.keynode';

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;

/** One row per credit value: its name, the value in words, and its formula (docs/credit.md) as the tooltip. */
function creditRows(credit: NodeCredit): { name: string; formula: string; value: string }[] {
  const successes = credit.mcValue === null ? 0 : Math.round(credit.mcValue * credit.mcLeaves);
  return [
    {
      name: 'Monte Carlo value',
      formula: 'V(n) = (1/|L(n)|) Σ R_ℓ over the finished leaves ℓ below n (R = 1 success, else 0) — TreePS-RAG',
      value: credit.mcValue === null ? '– (no finished leaf below)' : `${formatValue(credit.mcValue)} (${successes} of ${credit.mcLeaves} leaves succeed)`,
    },
    { name: 'advantage', formula: 'A(n) = V(n) − V(parent(n)) — TreePS-RAG', value: credit.advantage === null ? '–' : signed(credit.advantage) },
    {
      name: 'process reward',
      formula: 'r(n) = 1 if the environment’s check accepted the step into n, else 0 — VPR; "first invalid": no step above it is invalid',
      value: credit.processReward === null ? '– (root)' : `${credit.processReward}${credit.firstInvalid ? ' · first invalid step of its trajectories' : ''}`,
    },
    {
      name: 'Q',
      formula: 'Q(s, a) = valueSum(n) / visits(n), N(s, a) = visits(n), from MCTS’s statistics of the edge into n',
      value: credit.q === null ? '– (never visited by MCTS)' : `${formatValue(credit.q.value)} over ${credit.q.visits} visit${credit.q.visits === 1 ? '' : 's'}`,
    },
    {
      name: 'progress contribution',
      formula: 'c_t = w·φ(t), fitted by ridge least squares so each trajectory’s contributions sum to its reward R_τ — SPA-RL',
      value: credit.progress === null ? '– (no finished trajectory through it)' : signed(credit.progress),
    },
    {
      name: 'pivot',
      formula: 'over the children’s values v_i: μ = Σ v_i / n, σ² = Σ (v_i − μ)² / n; a pivot when σ² > 0 and μ < θ (0.5) — PivotRL',
      value: credit.pivot === null ? 'no' : `yes: mean ${formatValue(credit.pivot.mean)}, variance ${formatValue(credit.pivot.variance)} over ${credit.pivot.actions} actions`,
    },
  ];
}

export function CreditTable({ credit }: { credit: NodeCredit }) {
  return (
    <table class="grid credit-table">
      <tbody>
        {creditRows(credit).map((row) => (
          <tr key={row.name} data-credit={row.name}>
            <th title={row.formula} class="has-formula">{row.name}</th>
            <td>{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// A record written by another version (or by hand) falls back to the JSON view rather than a half-empty table.
function isNodeCredit(data: unknown): data is NodeCredit {
  const d = data as Partial<NodeCredit> | null;
  return typeof d === 'object' && d !== null && typeof d.mcLeaves === 'number' && 'advantage' in d && 'q' in d && 'progress' in d && 'pivot' in d;
}

interface KeyNodeHit {
  evalId: string;
  label: string;
  score: number;
  met: boolean;
  step: number | null;
}

/** Credit as a named table, eval key nodes as a list, anything else as its JSON. Text only, never markup. */
export function Annotations({ annotations }: { annotations: AnnotationRecord[] }) {
  if (annotations.length === 0) return <p class="muted">None (credit values, feedback and eval results appear here).</p>;
  const credit = annotations.find((a) => a.kind === CREDIT && a.key === '' && isNodeCredit(a.data));
  const keyNodes = annotations.filter((a) => a.kind === KEY_NODE);
  const others = annotations.filter((a) => a !== credit && a.kind !== KEY_NODE);
  return (
    <>
      {credit && (<><h4>Credit <span class="muted">(stepwise credit; hover a name for its formula)</span></h4><CreditTable credit={credit.data as NodeCredit} /></>)}
      {keyNodes.length > 0 && (
        <>
          <h4>Eval key nodes met here</h4>
          <ul class="key-nodes">
            {keyNodes.map((a) => {
              const hit = a.data as KeyNodeHit;
              return <li key={a.key}>{hit.met ? '✓' : '✗'} {hit.label} <span class="muted">· key node {a.key}{hit.step !== null ? ` · step ${hit.step}` : ''} · score {formatValue(hit.score)} · eval {hit.evalId}</span></li>;
            })}
          </ul>
        </>
      )}
      {others.length > 0 && (
        <table class="grid annotations"><thead><tr><th>kind</th><th>key</th><th>data</th></tr></thead><tbody>
          {others.map((a) => <tr key={`${a.kind}/${a.key}`}><td>{a.kind}</td><td>{a.key}</td><td><pre class="inline">{pretty(a.data)}</pre></td></tr>)}
        </tbody></table>
      )}
    </>
  );
}
