import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ReplayError } from '../../src/core/errors.ts';
import { replayRun } from '../../src/replay/replay.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import { getEnvironment } from '../../src/envs/registry.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { RunRecipe } from '../../src/store/records.ts';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';

test('a run in which model calls failed replays identically, the failures reproduced as failures', async () => {
  const answer = game24ModelScript();
  // Every fifth request is refused (400: not retried, not fatal), so some candidates and judgments fail.
  const server = await startFakeOpenAIServer({
    script: (body, index) => (index % 5 === 4 ? { type: 'error', status: 400, message: 'prompt rejected by the moderation filter' } : answer(body, index)),
  });
  const store = createMemoryStore();
  const recipe: RunRecipe = {
    env: 'game24', tasks: 'puzzle:4 5 6 10', strategy: 'bfs', strategyOptions: { width: '2' }, budget: { expansions: 4 }, seed: 3,
    scorers: ['value'], model: { spec: `openai-compatible:${server.url}#fake-gpt`, mode: 'list' },
  };
  let runId: string;
  try {
    const tasks = getEnvironment('game24').loadTasks(recipe.tasks, {});
    ({ runId } = await runRecipe(recipe, { store, tasks }));
  } finally {
    await server.close();
  }
  const [task] = await store.getTasks(runId);
  const failed = (await store.getTree(runId, task.taskId)).modelCalls.filter((call) => call.error !== null);
  assert.ok(failed.length > 0, 'the recorded run met failures');
  const report = await replayRun({ store, runRef: runId });
  assert.equal(report.stoppedBy, null, 'no "has no recorded reply"');
  assert.equal(report.identical, true, JSON.stringify(report.divergence));
});

test('replay of a run built in code with a custom scorer names that scorer', async () => {
  const { runSearch } = await import('../../src/search/run.ts');
  const { createStrategy } = await import('../../src/search/strategies/index.ts');
  const { enumerateProposer } = await import('../../src/propose/enumerate.ts');
  const { stripsEnvironment, generateBlocksworldTasks } = await import('../../src/envs/strips/index.ts');
  const store = createMemoryStore();
  const preferShort = { name: 'prefer-short', score: (_ctx: unknown, candidates: readonly unknown[]) => candidates.map((_, i) => 1 / (1 + i)) };
  const taskSpec = 'generate:blocksworld?count=1&blocks=3&length=4&seed=1';
  const { runId } = await runSearch({
    env: stripsEnvironment, tasks: generateBlocksworldTasks({ count: 1, blocks: 3, length: 4, seed: 1 }), taskSpec, proposer: enumerateProposer(),
    scorers: [preferShort], strategy: createStrategy('greedy'), store,
  });
  await assert.rejects(replayRun({ store, runRef: runId }), (error: unknown) => {
    assert.ok(error instanceof ReplayError);
    assert.match(error.message, /^run \w+ cannot be rebuilt from its record: its scorer "prefer-short" is neither built in nor registered by a loaded plug-in/);
    assert.doesNotMatch(error.message, /stepwise \d|before runs kept/, 'a scorer built in code is not an old stepwise\'s fault');
    assert.match(error.hint ?? '', new RegExp(`registers the scorer "prefer-short", pass it: \`stepwise replay ${runId} --plugin <file\\|package>\``));
    return true;
  });

  // Once a plug-in registers a scorer by that name, the same record is rebuilt with it and replays.
  const { scorers } = await import('../../src/recipe/components.ts');
  scorers.register({ name: 'prefer-short', describe: 'the test\'s scorer', options: z.object({}).strict(), create: () => preferShort });
  const report = await replayRun({ store, runRef: runId });
  assert.equal(report.identical, true, JSON.stringify(report.divergence));
});
