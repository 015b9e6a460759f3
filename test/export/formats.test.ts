import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeCredit } from '../../src/credit/annotations.ts';
import { computeCredit } from '../../src/credit/compute.ts';
import { game24Environment } from '../../src/envs/game24/env.ts';
import { EXPORT_FORMATS } from '../../src/export/formats.ts';
import type { ExportOptions } from '../../src/export/format.ts';
import { exportRun } from '../../src/export/source.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { runSearch } from '../../src/search/run.ts';
import { bfs } from '../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { RunRecord } from '../../src/store/records.ts';

const store = createMemoryStore();
let run: RunRecord;
const defaults: ExportOptions = { successOnly: false, minGap: 0 };

async function collect(format: string, options: Partial<ExportOptions> = {}): Promise<any[]> {
  const all = { ...defaults, ...options };
  const records: any[] = [];
  for await (const record of EXPORT_FORMATS[format].records(exportRun(store, run, all), all)) records.push(JSON.parse(JSON.stringify(record)));
  return records;
}

describe('export formats', () => {
  before(async () => {
    // 4 4 6 8 is solvable; 1 1 1 1 is not: exhaustive search gives both successes and failures to learn from.
    const tasks = [[4, 4, 6, 8], [1, 1, 1, 1]].map((numbers) => ({ id: `p-${numbers.join('')}`, env: 'game24', source: 'test', spec: { numbers } }));
    const result = await runSearch({ env: game24Environment, tasks, proposer: enumerateProposer(), strategy: bfs({ width: Infinity }), store });
    run = (await store.getRun(result.runId)).run;
  });
  after(() => store.close());

  it('dpo: pairs along the best path, best over worst sibling, prompts as the model saw them; --min-gap filters', async () => {
    const pairs = await collect('dpo');
    assert.ok(pairs.length >= 1);
    for (const pair of pairs) {
      assert.deepEqual(Object.keys(pair).slice(0, 3), ['prompt', 'chosen', 'rejected']);
      assert.equal(pair.prompt.at(-1).role, 'user');
      assert.match(pair.prompt.at(-1).content, /^Input: [\d /-]+\nNext step:$/);
      assert.equal(pair.prompt[0].role, 'system');
      assert.equal(pair.chosen.length, 1);
      assert.equal(pair.chosen[0].role, 'assistant');
      assert.match(pair.chosen[0].content, /^\S+ [-+*/] \S+ = \S+ \(left: .*\)$/);
      assert.ok(pair.meta.chosenValue > pair.meta.rejectedValue, 'ties are skipped');
    }
    // Consecutive pairs of one task follow the chosen step.
    const solvable = pairs.filter((p) => p.meta.taskId === 'p-4468');
    for (let i = 1; i < solvable.length; i++) assert.equal(solvable[i].meta.nodeId, solvable[i - 1].meta.chosenNodeId);
    assert.equal(pairs.filter((p) => p.meta.taskId === 'p-1111').length, 0, 'every action of an unsolvable puzzle is worth 0: all ties');
    const gaps = pairs.map((p) => p.meta.chosenValue - p.meta.rejectedValue);
    const threshold = (Math.min(...gaps) + Math.max(...gaps)) / 2;
    const wide = await collect('dpo', { minGap: threshold });
    assert.equal(wide.length, gaps.filter((g) => g >= threshold).length);
    assert.ok(wide.length < pairs.length || Math.min(...gaps) === Math.max(...gaps));
  });

  it('prm: one record per finished trajectory, a label per step; failures end in a false label', async () => {
    const records = await collect('prm');
    const trees = await Promise.all(['p-4468', 'p-1111'].map((t) => store.getTree(run.id, t)));
    const finished = trees.flatMap((t) => t.nodes.filter((n) => n.terminal || n.success));
    assert.ok(records.filter((r) => r.meta.outcome === 1).length > 1, 'paths to 24 through transpositions are trajectories too');
    assert.equal(records.length, finished.length);
    for (const r of records) {
      assert.equal(typeof r.prompt, 'string');
      assert.match(r.prompt, /^Use each of the numbers .* to obtain 24\.\nInput: /);
      assert.equal(r.completions.length, r.labels.length);
      assert.ok(r.labels.every((l: unknown) => typeof l === 'boolean'));
      if (r.meta.outcome === 1) assert.ok(r.labels.every(Boolean));
      else assert.equal(r.labels.at(-1), false);
    }
    const solvedOnly = await collect('prm', { successOnly: true });
    assert.ok(solvedOnly.length > 0 && solvedOnly.every((r) => r.meta.taskId === 'p-4468'));
  });

  it('sft: successful trajectories only, as prompt then alternating action and observation turns', async () => {
    const records = await collect('sft');
    assert.ok(records.length >= 1);
    for (const { messages, meta } of records) {
      assert.equal(meta.taskId, 'p-4468');
      const turns = messages.slice(messages.findLastIndex((m: any) => m.role === 'user' && m.content.startsWith('Input: 4 4 6 8')) + 1);
      assert.deepEqual(turns.map((m: any) => m.role), ['assistant', 'user', 'assistant', 'user', 'assistant']);
      assert.match(turns.at(-1).content, /\(left: 24\)$/);
    }
  });

  it('jsonl: every node with action, verdict and credit; success-only keeps the solved task', async () => {
    const records = await collect('jsonl');
    const trees = await Promise.all(['p-4468', 'p-1111'].map((t) => store.getTree(run.id, t)));
    assert.equal(records.length, trees[0].nodes.length + trees[1].nodes.length);
    const root = records.find((r) => r.parentId === null && r.taskId === 'p-4468');
    assert.equal(root.credit.mcValue, computeCredit(trees[0]).nodes.get(root.nodeId)!.mcValue);
    assert.ok(records.every((r) => 'check' in r && 'actionText' in r && 'credit' in r));
    const solved = await collect('jsonl', { successOnly: true });
    assert.equal(solved.length, trees[0].nodes.length);
  });

  it('reads stored credit when there is some, instead of recomputing', async () => {
    const tree = await store.getTree(run.id, 'p-1111');
    const credit = computeCredit(tree);
    const rootId = tree.nodes[0].id;
    credit.nodes.set(rootId, { ...credit.nodes.get(rootId)!, mcValue: 0.123 });
    storeCredit(store, run.id, 'p-1111', credit);
    await store.flush();
    const records = await collect('jsonl');
    assert.equal(records.find((r) => r.nodeId === rootId).credit.mcValue, 0.123);
  });
});
