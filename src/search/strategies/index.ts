import { UsageError } from '../../core/errors.ts';
import type { Strategy } from '../strategy.ts';
import { dfs } from './dfs.ts';
import { bestOfK, greedy } from './greedy.ts';
import { beam, bfs } from './level.ts';
import { mcts } from './mcts.ts';

export { beam, bestOfK, bfs, dfs, greedy, mcts };

/** Loosely typed strategy options, as they come from CLI flags or suite files. */
export type StrategyOptions = Record<string, string | number | boolean | undefined>;

type Option =
  | { kind: 'number'; whole: boolean; min: number; all?: boolean }
  | { kind: 'choice'; values: readonly string[] };

const K: Option = { kind: 'number', whole: true, min: 1, all: true };
const WIDTH: Option = { kind: 'number', whole: true, min: 1, all: true };

interface StrategyEntry {
  describe: string;
  /** The options it reads; any other option is refused, since it would be silently ignored. */
  options: Record<string, Option>;
  create(read: Reader): Strategy;
}

type Reader = {
  num(key: string): number | undefined;
  choice<T extends string>(key: string): T | undefined;
};

/** The built-in strategies by name, each built from loosely typed options. */
export const STRATEGIES: Record<string, StrategyEntry> = {
  greedy: { describe: 'one branch, best-valued valid step each time (ReAct with a model)', options: { k: K }, create: (o) => greedy({ k: o.num('k') }) },
  'best-of-k': { describe: 'sample k candidates per step, execute the best', options: { k: K }, create: (o) => bestOfK({ k: o.num('k') }) },
  beam: {
    describe: 'keep the width best paths per depth by aggregated value',
    options: { width: WIDTH, k: K, aggregate: { kind: 'choice', values: ['last', 'mean', 'min', 'sum'] } },
    create: (o) => beam({ width: o.num('width'), k: o.num('k'), aggregate: o.choice('aggregate') }),
  },
  bfs: {
    describe: 'Tree-of-Thoughts BFS: keep the width best per level (width=all is exhaustive)',
    options: { width: WIDTH, k: K, select: { kind: 'choice', values: ['greedy', 'sample'] } },
    create: (o) => bfs({ width: o.num('width'), k: o.num('k'), select: o.choice('select') }),
  },
  dfs: {
    describe: 'Tree-of-Thoughts DFS with a value threshold, backtracking',
    options: { threshold: { kind: 'number', whole: false, min: -Infinity }, k: K },
    create: (o) => dfs({ threshold: o.num('threshold'), k: o.num('k') }),
  },
  mcts: {
    describe: 'Monte Carlo tree search, UCT or PUCT, virtual loss for parallel simulations',
    options: {
      simulations: { kind: 'number', whole: true, min: 1 },
      variant: { kind: 'choice', values: ['uct', 'puct'] },
      exploration: { kind: 'number', whole: false, min: 0 },
      'rollout-depth': { kind: 'number', whole: true, min: 0 },
      'virtual-loss': { kind: 'number', whole: false, min: 0 },
      prior: { kind: 'choice', values: ['proposer', 'value'] },
      'prior-temperature': { kind: 'number', whole: false, min: 0.001 },
      k: K,
    },
    create: (o) =>
      mcts({
        simulations: o.num('simulations'),
        variant: o.choice('variant'),
        exploration: o.num('exploration'),
        rolloutDepth: o.num('rollout-depth'),
        virtualLoss: o.num('virtual-loss'),
        prior: o.choice('prior'),
        priorTemperature: o.num('prior-temperature'),
        k: o.num('k'),
      }),
  },
};

/** Builds a strategy by name; throws UsageError for an unknown name, an option it does not read, or a value out of range. */
export function createStrategy(name: string, options: StrategyOptions = {}): Strategy {
  const entry = STRATEGIES[name];
  if (!entry) {
    throw new UsageError(`unknown strategy "${name}"`, { hint: `choose one of: ${Object.keys(STRATEGIES).join(', ')}` });
  }
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !entry.options[key]) {
      throw new UsageError(`--${key} does not apply to --strategy ${name}`, {
        hint: `${name} takes ${Object.keys(entry.options).map((f) => `--${f}`).join(', ')}; see \`stepwise run --help\``,
      });
    }
  }
  return entry.create({
    num(key) {
      const value = options[key];
      const rule = entry.options[key];
      if (value === undefined || rule?.kind !== 'number') return undefined;
      if (rule.all && value === 'all') return Infinity;
      const parsed = typeof value === 'number' ? value : Number(value);
      const blank = typeof value === 'string' && value.trim() === '';
      if (blank || !Number.isFinite(parsed) || (rule.whole && !Number.isInteger(parsed)) || parsed < rule.min) {
        const kind = `${rule.whole ? 'a whole number' : 'a number'}${rule.min > -Infinity ? ` >= ${rule.min}` : ''}${rule.all ? ' or "all"' : ''}`;
        throw new UsageError(`--${key} must be ${kind}, got "${value}"`);
      }
      return parsed;
    },
    choice<T extends string>(key: string): T | undefined {
      const value = options[key];
      const rule = entry.options[key];
      if (value === undefined || rule?.kind !== 'choice') return undefined;
      if (!rule.values.includes(String(value))) throw new UsageError(`--${key} must be one of ${rule.values.join(', ')}, got "${value}"`);
      return value as T;
    },
  });
}
