import { z } from 'zod';
import { defineEnvironment, type Task } from '../src/core/environment.ts';
import { hashString } from '../src/core/rng.ts';

interface TreeSpec {
  branching: number;
  depth: number;
}

/**
 * A uniform tree of `branching`^`depth` states with no goal and a hashed pseudo-random heuristic:
 * stepping costs next to nothing, so a benchmark on it measures the engine's scheduling alone.
 */
export const uniformTreeEnvironment = defineEnvironment({
  name: 'uniform-tree',
  version: '1',
  actionSchema: z.object({ branch: z.number().int() }),
  formatAction: (action: { branch: number }) => `branch ${action.branch}`,
  parseAction: (text: string) => ({ branch: Number(text.replace('branch', '')) }),
  load(task: Task<TreeSpec>) {
    const { branching, depth } = task.spec;
    return {
      initialState: { path: '' },
      goalText: 'explore',
      step: (state: { path: string }, action: { branch: number }) => {
        const path = `${state.path}${action.branch.toString(36)}`;
        return { state: { path }, observation: path, reward: 0, done: path.length >= depth, success: false, check: { valid: true } };
      },
      legalActions: () => Array.from({ length: branching }, (_, branch) => ({ branch })),
      render: (state: { path: string }) => state.path,
      stateKey: (state: { path: string }) => state.path,
      heuristic: (state: { path: string }) => (hashString(state.path) % 1000) / 1000,
    };
  },
});

export const uniformTreeTask = (branching: number, depth: number): Task<TreeSpec> => ({
  id: `tree-${branching}x${depth}`,
  env: 'uniform-tree',
  source: 'bench',
  spec: { branching, depth },
});
