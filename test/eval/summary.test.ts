import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskEvaluation } from '../../src/eval/evaluate-run.ts';
import { scoreTask } from '../../src/eval/metrics.ts';
import type { EvalSample } from '../../src/eval/runner.ts';
import { renderEvalReport } from '../../src/eval/report-html.ts';
import { summarizeEval, type SummarySuite } from '../../src/eval/summary.ts';

const config = (name: string) => ({ name, strategy: 'greedy', options: {}, budget: { expansions: 10 } }) as SummarySuite['configs'][number];

function sample(configName: string, epoch: number, taskId: string, solved: boolean): EvalSample {
  const evaluation = { hits: [], score: scoreTask([], 1), outcome: solved ? 'solved' : 'budget_exhausted', expansions: 3, tokens: 0, wallMs: 1 } as unknown as TaskEvaluation;
  return { config: configName, epoch, taskSet: 'set', taskId, runId: `${configName}-${epoch}`, evaluation };
}

test('pass@k of an eval whose later epochs did not complete counts the tasks with k epochs, and is left out when none has', () => {
  const suite: SummarySuite = { name: 's', epochs: 2, seed: 1, reducers: ['mean', 'pass@2'], configs: [config('a'), config('b')] };
  // a: both epochs of t1 (one solved), only epoch 0 of t2; b: only epoch 0.
  const samples = [sample('a', 0, 't1', true), sample('a', 1, 't1', false), sample('a', 0, 't2', false), sample('b', 0, 't1', true), sample('b', 0, 't2', true)];
  const summary = summarizeEval(suite, 'e', samples, { complete: false });
  const [a, b] = summary.configs;
  assert.equal(a.reducers['pass@2'], 1, 'pass@2 over t1 only: 1 − C(1,2)/C(2,2)');
  assert.equal(a.reducers.mean, 0.25);
  assert.equal('pass@2' in b.reducers, false);
  assert.equal(b.reducers.mean, 1);
  assert.doesNotThrow(() => JSON.stringify(summary));
});

test('without key nodes the report shows the key-node figures as undefined, not 0%', () => {
  const suite: SummarySuite = { name: 's', epochs: 1, seed: 1, reducers: ['mean'], configs: [config('a')] };
  const summary = summarizeEval(suite, 'e', [sample('a', 0, 't1', true), sample('a', 0, 't2', false)]);
  assert.equal(summary.configs[0].keyNodes.scoredTasks, 0);
  const row = renderEvalReport(summary).match(/<tr><td>a<\/td>.*?<\/tr>/)![0];
  const cells = [...row.matchAll(/<td class="n">(.*?)<\/td>/g)].map((m) => m[1]);
  assert.match(cells[0], /^50%/, 'solved');
  assert.deepEqual(cells.slice(1, 5), ['–', '–', '–', '–'], 'key success, completion, step score, near success');
});
