import { UsageError } from '../../core/errors.ts';
import type { Strategy } from '../strategy.ts';
import { dfs } from './dfs.ts';
import { bestOfK, greedy } from './greedy.ts';
import { beam, bfs } from './level.ts';
import { mcts } from './mcts.ts';

export { beam, bestOfK, bfs, dfs, greedy, mcts };

type Options = Record<string, string | number | boolean | undefined>;

/** The built-in strategies by name, each built from loosely typed options (CLI flags, suite files). */
export const STRATEGIES: Record<string, { describe: string; create: (options: Options) => Strategy }> = {
  greedy: { describe: 'one branch, best-valued valid step each time (ReAct with a model)', create: (o) => greedy({ k: num(o, 'k') }) },
  'best-of-k': { describe: 'sample k candidates per step, execute the best', create: (o) => bestOfK({ k: num(o, 'k') }) },
  beam: {
    describe: 'keep the width best paths per depth by aggregated value',
    create: (o) => beam({ width: num(o, 'width'), k: num(o, 'k'), aggregate: oneOf(o, 'aggregate', ['last', 'mean', 'min', 'sum']) }),
  },
  bfs: {
    describe: 'Tree-of-Thoughts BFS: keep the width best per level (width=all is exhaustive)',
    create: (o) => bfs({ width: num(o, 'width'), k: num(o, 'k'), select: oneOf(o, 'select', ['greedy', 'sample']) }),
  },
  dfs: { describe: 'Tree-of-Thoughts DFS with a value threshold, backtracking', create: (o) => dfs({ threshold: num(o, 'threshold'), k: num(o, 'k') }) },
  mcts: {
    describe: 'Monte Carlo tree search, UCT or PUCT, virtual loss for parallel simulations',
    create: (o) =>
      mcts({
        simulations: num(o, 'simulations'),
        variant: oneOf(o, 'variant', ['uct', 'puct']),
        exploration: num(o, 'exploration'),
        rolloutDepth: num(o, 'rollout-depth'),
        virtualLoss: num(o, 'virtual-loss'),
        k: num(o, 'k'),
      }),
  },
};

export function createStrategy(name: string, options: Options = {}): Strategy {
  const entry = STRATEGIES[name];
  if (!entry) {
    throw new UsageError(`unknown strategy "${name}"`, { hint: `choose one of: ${Object.keys(STRATEGIES).join(', ')}` });
  }
  return entry.create(options);
}

function num(options: Options, key: string): number | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (value === 'all' || value === 'inf' || value === 'Infinity') return Infinity;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(parsed)) throw new UsageError(`--${key} must be a number (or "all"), got "${value}"`);
  return parsed;
}

function oneOf<T extends string>(options: Options, key: string, allowed: readonly T[]): T | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${key} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}
