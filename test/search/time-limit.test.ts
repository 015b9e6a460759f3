import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { deadlineCheck, withDeadline } from '../../src/core/deadline.ts';
import { SearchStopped } from '../../src/core/errors.ts';
import { BLOCKSWORLD_DOMAIN } from '../../src/envs/strips/blocksworld-domain.ts';
import { stripsEnvironment } from '../../src/envs/strips/strips-environment.ts';
import { stripsPlugin } from '../../src/envs/strips/plugin.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { heuristicScorer } from '../../src/score/heuristic.ts';
import { runSearch } from '../../src/search/run.ts';
import { createStrategy } from '../../src/search/strategies/index.ts';

const folder = mkdtempSync(join(tmpdir(), 'stepwise-time-limit-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Blocksworld with `blocks` blocks on the table and one tower as the goal: grounding its relaxed task takes seconds. */
function bigBlocksworld(blocks: number): { domain: string; problem: string } {
  const names = Array.from({ length: blocks }, (_, i) => `b${i}`);
  const init = ['(handempty)', ...names.map((b) => `(ontable ${b}) (clear ${b})`)].join(' ');
  const goal = names.slice(1).map((b, i) => `(on ${b} ${names[i]})`).join(' ');
  const domain = join(folder, 'domain.pddl');
  const problem = join(folder, `tower-${blocks}.pddl`);
  writeFileSync(domain, BLOCKSWORLD_DOMAIN);
  writeFileSync(problem, `(define (problem tower-${blocks}) (:domain blocksworld-4ops) (:objects ${names.join(' ')}) (:init ${init}) (:goal (and ${goal})))`);
  return { domain, problem };
}

test('--time-limit holds inside one expansion: a 400-block problem stops at the limit, mid-heuristic', async () => {
  const { domain, problem } = bigBlocksworld(400);
  const wallMs = 1000;
  const { results } = await runSearch({
    env: stripsEnvironment,
    tasks: stripsPlugin.loadTasks(problem, { domain }),
    proposer: enumerateProposer(),
    scorers: [heuristicScorer()],
    strategy: createStrategy('greedy'),
    budget: { wallMs },
  });
  const [result] = results;
  assert.equal(result.outcome, 'budget_exhausted');
  assert.equal(result.stopReason, 'wallMs');
  assert.equal(result.expansions, 1, 'the first expansion was the one cut short');
  // Without the checks the first expansion alone grounds for ~10 s and scores 400 children at ~0.2 s each.
  assert.ok(result.wallMs < wallMs * 1.5, `stopped after ${Math.round(result.wallMs)} ms with a limit of ${wallMs} ms`);
});

test('deadlineCheck throws SearchStopped(wallMs) only inside a passed deadline, and only on every nth call', () => {
  const outside = deadlineCheck(1);
  for (let i = 0; i < 10; i++) outside();
  withDeadline(performance.now() + 60_000, () => {
    const ahead = deadlineCheck(1);
    ahead();
  });
  withDeadline(performance.now() - 1, () => {
    const passed = deadlineCheck(3);
    passed();
    passed();
    assert.throws(passed, (error: unknown) => error instanceof SearchStopped && error.reason === 'wallMs');
  });
});
