import type { Environment, Task } from '../../src/core/environment.ts';
import { createRng } from '../../src/core/rng.ts';
import type { Candidate, ProposeContext, ScoreContext, TrajectoryStep } from '../../src/core/step.ts';
import { game24Environment } from '../../src/envs/game24/env.ts';
import { BLOCKSWORLD_DOMAIN, blocksworldProblemText } from '../../src/envs/strips/blocksworld-domain.ts';
import { stripsEnvironment } from '../../src/envs/strips/strips-environment.ts';

/**
 * A step context at the node reached by `path` (canonical action texts) from the task's initial
 * state, as the search tree would build it; `lookahead` steps the problem.
 */
export async function stepContext<S, A>(env: Environment<S, A>, task: Task, path: readonly string[] = [], k = 1): Promise<ProposeContext<S, A> & ScoreContext<S, A>> {
  const problem = env.load(task as Task<never>);
  let state = problem.initialState;
  const trajectory: TrajectoryStep<A>[] = [];
  for (const text of path) {
    const action = env.parseAction(text);
    const transition = await problem.step(state, action);
    if (!transition.check.valid) throw new Error(`test path step ${text} is invalid: ${transition.check.reason}`);
    trajectory.push({ action, actionText: env.formatAction(action), observation: transition.observation, check: transition.check });
    state = transition.state;
  }
  const at = state;
  return {
    runId: 'run-test',
    env,
    problem,
    task,
    nodeId: `node-${path.length}`,
    depth: path.length,
    state: at,
    trajectory,
    rng: createRng(1),
    signal: new AbortController().signal,
    charge() {},
    k,
    lookahead: async (candidate: Candidate<A>) => problem.step(at, candidate.action as A),
  };
}

export function game24Task(numbers: number[]): Task {
  return { id: `g24-${numbers.join('-')}`, env: 'game24', source: 'test', spec: { numbers } };
}

/** Blocks a (red), b (blue), c (orange): a on b, c on the table; goal: b on c and a on b. */
export function blocksworldTask(): Task {
  const init = ['(clear a)', '(clear c)', '(handempty)', '(on a b)', '(ontable b)', '(ontable c)'];
  return {
    id: 'bw-test',
    env: 'strips',
    source: 'test',
    spec: { domain: BLOCKSWORLD_DOMAIN, problem: blocksworldProblemText('bw-test', ['a', 'b', 'c'], init, ['(on b c)', '(on a b)']) },
  };
}

export { game24Environment, stripsEnvironment };
