import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepContext } from '../../src/core/step.ts';
import { game24LegalActions, type Game24State } from '../../src/envs/game24/step.ts';
import { formatGame24Action, type Game24Action } from '../../src/envs/game24/action.ts';
import { isSolvable } from '../../src/envs/game24/solver.ts';
import { generateBlocksworldTasks } from '../../src/envs/strips/blocksworld-generator.ts';
import { blocksworldActionText, blocksworldStateText } from '../../src/envs/strips/blocksworld-language.ts';
import type { StripsAction } from '../../src/envs/strips/action-text.ts';
import type { StripsProblem, StripsState } from '../../src/envs/strips/strips-problem.ts';
import { llmProposer } from '../../src/propose/llm.ts';
import { valueJudge } from '../../src/score/llm-judge.ts';
import { runSearch } from '../../src/search/run.ts';
import { bfs, greedy } from '../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { Store } from '../../src/store/store.ts';
import { lastUserMessage, scriptedClient } from './scripted-client.ts';
import { game24Environment, game24Task, stripsEnvironment } from './step-context.ts';

/** A step from `numbers` after which 24 is still reachable, as ToT writes it. */
function goodGame24Step(numbers: string[]): string {
  const step = game24LegalActions({ numbers }).find((a) => {
    const left = a.claimed!.left!;
    return left.length === 1 ? left[0] === '24' : isSolvable(left);
  });
  return formatGame24Action(step as Game24Action);
}

/** The first action of a shortest plan from the context's state (breadth-first over the problem's successors). */
function nextOptimalAction(ctx: StepContext<any, any>): StripsAction {
  const problem = ctx.problem as StripsProblem;
  const start = ctx.state as StripsState;
  const firstMove = new Map<string, StripsAction | null>([[problem.stateKey(start), null]]);
  let frontier = [start];
  while (frontier.length > 0) {
    const next: StripsState[] = [];
    for (const state of frontier) {
      for (const { action, state: after } of problem.successors(state)) {
        const key = problem.stateKey(after);
        if (firstMove.has(key)) continue;
        const first = firstMove.get(problem.stateKey(state)) ?? action;
        if (problem.isGoal(after)) return first;
        firstMove.set(key, first);
        next.push(after);
      }
    }
    frontier = next;
  }
  throw new Error('no plan');
}

async function invalidCandidates(store: Store, runId: string, taskId: string) {
  const tree = await store.getTree(runId, taskId);
  return tree.candidates.filter((c) => c.invalidReason !== null);
}

describe('runSearch with the LLM proposer', () => {
  it('greedy solves a Game of 24 puzzle from chat-style samples, recording the broken sample at every step', async () => {
    const client = scriptedClient((request) => {
      const numbers = /^Input: (.+)$/m.exec(lastUserMessage(request))![1].split(' ');
      const step = goodGame24Step(numbers);
      return ["Hmm, I'm not sure which numbers to combine.", `<think>try ${numbers.join(', ')}</think>\n\`\`\`\n${step}\n\`\`\``, `Next step: ${step}`][request.sample ?? 0];
    });
    const store = createMemoryStore();
    const task = game24Task([4, 5, 6, 10]);
    const { runId, results } = await runSearch({ env: game24Environment, tasks: [task], proposer: llmProposer({ client }), strategy: greedy(), store });
    assert.equal(results[0].outcome, 'solved');
    assert.equal(results[0].plan!.length, 3);
    assert.equal(client.requests.length, 9, '3 steps × 3 samples');
    const invalid = await invalidCandidates(store, runId, task.id);
    assert.equal(invalid.length, 3);
    assert.ok(invalid.every((c) => c.text === "Hmm, I'm not sure which numbers to combine." && /not a step/.test(c.invalidReason!)));
    const { run } = await store.getRun(runId);
    assert.equal(run.proposer.name, 'llm:scripted:test');
    assert.equal((run.proposer.config as { template: string }).template, 'auto');
  });

  it('greedy solves a generated Blocksworld task optimally from answers in PlanBench words', async () => {
    const [task] = generateBlocksworldTasks({ count: 1, blocks: 4, length: 6, seed: 3 });
    const client = scriptedClient((request, ctx) => {
      assert.ok(lastUserMessage(request).includes(`[CURRENT STATE]\n${blocksworldStateText((ctx.state as StripsState).facts)}\n`));
      const action = blocksworldActionText(nextOptimalAction(ctx));
      return request.sample === 0 ? 'stack the red block on top of the red block' : `${request.sample}. ${action[0].toUpperCase()}${action.slice(1)}.`;
    });
    const store = createMemoryStore();
    const { runId, results } = await runSearch({ env: stripsEnvironment, tasks: [task], proposer: llmProposer({ client, k: 2 }), strategy: greedy(), store });
    assert.equal(results[0].outcome, 'solved');
    assert.equal(results[0].plan!.length, task.meta!.optimalLength);
    const invalid = await invalidCandidates(store, runId, task.id);
    assert.equal(invalid.length, 6);
    assert.ok(invalid.every((c) => /is not allowed here/.test(c.invalidReason!)));
  });

  it('ToT-style BFS: a proposed list scored by the value judge, through the search tree\'s lookahead', async () => {
    const client = scriptedClient((request) => {
      const user = lastUserMessage(request);
      const input = /^Input: (.+)$/m.exec(user);
      if (input) {
        const numbers = input[1].split(' ');
        return game24LegalActions({ numbers } as Game24State).map(formatGame24Action).join('\n');
      }
      return isSolvable(user.split(' ')) ? 'sure' : 'impossible';
    });
    const task = game24Task([1, 2, 4, 6]);
    const { results } = await runSearch({
      env: game24Environment,
      tasks: [task],
      proposer: llmProposer({ client, mode: 'list', k: 50 }),
      scorers: [valueJudge({ client, samples: 1 })],
      strategy: bfs({ width: 1 }),
    });
    assert.equal(results[0].outcome, 'solved');
  });
});
