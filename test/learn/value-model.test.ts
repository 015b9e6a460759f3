import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { createRng } from '../../src/core/rng.ts';
import type { Transition } from '../../src/core/environment.ts';
import { generateBlocksworldTasks, stripsEnvironment, type StripsAction, type StripsState } from '../../src/envs/strips/index.ts';
import { fitValueModel } from '../../src/learn/fit-value.ts';
import { DENSE_FEATURE_NAMES, DENSE_FEATURES, stepFeatures } from '../../src/learn/features.ts';
import { errors, predictWith, siblingOrder, trainLogistic, type Example } from '../../src/learn/train.ts';
import { loadValueModel, saveValueModel } from '../../src/learn/value-model.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { learnedScorer } from '../../src/score/learned.ts';
import { runSearch } from '../../src/search/run.ts';
import { bfs, mcts } from '../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-value-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('logistic regression learns a linearly separable toy target', () => {
  // Target 1 exactly when feature 1 is on; feature 2 is noise.
  const rng = createRng(3);
  const make = (n: number): Example[] => Array.from({ length: n }, (_, i) => {
    const on = rng.next() < 0.5;
    const features = new Map([[0, 1], ...(on ? [[1, 1] as [number, number]] : []), ...(rng.next() < 0.5 ? [[2, 1] as [number, number]] : [])]);
    return { features, target: on ? 1 : 0, group: `g${i}`, parent: `p${i % 10}` };
  });
  const train = make(400);
  const test = make(100);
  const weights = trainLogistic(train, { dims: 3, epochs: 40, learningRate: 0.1 });
  const predicted = test.map((e) => predictWith(weights, e.features));
  assert.ok(predicted.every((p, i) => (p > 0.5) === (test[i].target === 1)), 'every held-out example on the right side');
  assert.ok(errors(predicted, test.map((e) => e.target)).mae! < 0.1);
  assert.ok(Math.abs(weights[2]) < Math.abs(weights[1]) / 5, 'the noise feature gets little weight');
  assert.equal(siblingOrder(test, predicted), 1);
});

test('features describe a step by what it does to the goal, in terms that carry over between tasks', () => {
  const [task] = generateBlocksworldTasks({ count: 1, blocks: 4, length: 2, seed: 1 });
  const problem = stripsEnvironment.load(task);
  const slot = (name: (typeof DENSE_FEATURE_NAMES)[number]) => DENSE_FEATURE_NAMES.indexOf(name);
  const featuresOf = (state: StripsState, action: StripsAction) => {
    const t = problem.step(state, action) as Transition<StripsState>;
    return { t, features: stepFeatures({ env: stripsEnvironment, problem, state, action, next: t.state, check: t.check, success: t.success, depth: 0 }, { hashBits: 8, heuristic: true }) };
  };
  // The 2-step plan: take a block, then put it where the goal wants it; that second step adds a goal fact and completes the goal.
  let finishing: Map<number, number> | undefined;
  for (const first of problem.legalActions!(problem.initialState) as StripsAction[]) {
    const { t } = featuresOf(problem.initialState, first);
    for (const second of problem.legalActions!(t.state) as StripsAction[]) {
      const step = featuresOf(t.state, second);
      if (step.t.success) finishing = step.features;
      else assert.notEqual(step.features.get(slot('goalShare')), 1);
      assert.ok([...step.features.keys()].every((k) => k < DENSE_FEATURES + 256));
    }
  }
  assert.ok(finishing, 'a 2-step task is solved in two steps');
  assert.equal(finishing.get(slot('goalAdded')), 1);
  assert.equal(finishing.get(slot('goalShare')), 1);
  assert.equal(finishing.get(slot('success')), 1);
  assert.equal(finishing.get(slot('bias')), 1);
});

test('train on searched Blocksworld trees, save, load: the file round-trips and the scorer guides MCTS', async () => {
  const store = createMemoryStore();
  const trained = await runSearch({ env: stripsEnvironment, tasks: generateBlocksworldTasks({ count: 8, blocks: 4, length: 4, seed: 5 }), proposer: enumerateProposer(), strategy: bfs({ width: Infinity }), maxDepth: 4, store });
  const file = await fitValueModel(store, [(await store.getRun(trained.runId)).run], { hashBits: 8, epochs: 20 });
  assert.equal(file.env, 'strips');
  assert.ok(file.training.examples > 100);
  assert.equal(file.training.heldOut.tasks, 2);
  assert.ok(file.training.heldOut.mae! < file.training.heldOut.baselineMae!, `learned ${file.training.heldOut.mae} vs mean ${file.training.heldOut.baselineMae}`);
  const plain = await fitValueModel(store, [(await store.getRun(trained.runId)).run], { hashBits: 8, epochs: 5, heuristicFeatures: false });
  assert.equal(plain.features.heuristic, false);
  const heuristicSlots = [DENSE_FEATURE_NAMES.indexOf('heuristic'), DENSE_FEATURE_NAMES.indexOf('heuristicGain')];
  assert.ok(plain.model.weights.every(([index]) => !heuristicSlots.includes(index)), 'without the heuristic, its slots learn nothing');
  assert.ok(file.model.weights.some(([index]) => heuristicSlots.includes(index)));
  const path = join(dir, 'value.json');
  saveValueModel(path, file);
  const loaded = loadValueModel(path);
  assert.deepEqual(loaded.file, file);
  const tasks = generateBlocksworldTasks({ count: 3, blocks: 4, length: 6, seed: 77 });
  const search = (scorers: ReturnType<typeof learnedScorer>[]) => runSearch({ env: stripsEnvironment, tasks, proposer: enumerateProposer(), scorers, strategy: mcts({ variant: 'puct', parallel: 1, prior: 'value', simulations: 5000 }) });
  const guided = await search([learnedScorer(path)]);
  const blind = await search([]);
  assert.equal(guided.stats.solved, 3);
  assert.ok(guided.stats.expansions < blind.stats.expansions, `${guided.stats.expansions} vs ${blind.stats.expansions}`);
  await store.close();
});

test('a bad value model file is refused with what is wrong and what to do', () => {
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const refuses = (path: string, message: RegExp) =>
    assert.throws(() => loadValueModel(path), (e: unknown) => e instanceof UsageError && message.test(e.message) && /train-value/.test(e.hint ?? ''));
  refuses(join(dir, 'missing.json'), /cannot read the value model .*: no such file/);
  refuses(write('broken.json', '{"$schema'), /is not JSON/);
  refuses(write('other.json', '{"$schemaVersion":1,"kind":"something"}'), /is not a stepwise value model \(kind: /);
  refuses(write('newer.json', '{"$schemaVersion":9}'), /schema version 9; this stepwise reads version 1/);
  const good = { $schemaVersion: 1, kind: 'stepwise.value-model', env: 'strips', features: { version: 1, hashBits: 4, heuristic: true }, model: { type: 'logistic', weights: [[9999, 1]] },
    training: { runs: [], trainedAt: '', unfinished: 'failure', examples: 0, tasks: 0, epochs: 1, trainMae: null, heldOut: { examples: 0, tasks: 0, mae: null, rmse: null, baselineMae: null, baselineRmse: null, siblingOrder: null } } };
  refuses(write('outside.json', JSON.stringify(good)), /weight index 9999 is outside the \d+ features/);
});

test('held-out tasks: none with --held-out 0, and a task searched in two runs counts once and stays on one side', async () => {
  const store = createMemoryStore();
  const tasks = generateBlocksworldTasks({ count: 4, blocks: 4, length: 2, seed: 3 });
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const result = await runSearch({ env: stripsEnvironment, tasks, proposer: enumerateProposer(), strategy: bfs({ width: Infinity }), maxDepth: 2, store });
    runs.push((await store.getRun(result.runId)).run);
  }
  const none = await fitValueModel(store, runs, { hashBits: 6, epochs: 1, heldOut: 0 });
  assert.equal(none.training.heldOut.tasks, 0);
  assert.equal(none.training.heldOut.examples, 0);
  assert.equal(none.training.tasks, 4, 'the same 4 tasks in two runs are 4 tasks');
  const split = await fitValueModel(store, runs, { hashBits: 6, epochs: 1, heldOut: 0.25 });
  assert.deepEqual([split.training.tasks, split.training.heldOut.tasks], [3, 1]);
  await store.close();
});
