import { z } from 'zod';
import { createRegistry, type RegistryEntry } from '../../registry/registry.ts';
import { choiceOption, numberOption } from '../../registry/options.ts';
import type { Strategy } from '../strategy.ts';
import { dfs } from './dfs.ts';
import { bestOfK, greedy } from './greedy.ts';
import { beam, bfs } from './level.ts';
import { mcts } from './mcts.ts';

export { beam, bestOfK, bfs, dfs, greedy, mcts };

/** Strategy options as they come from CLI flags, suite files or a recipe: text or JSON values, by option name. */
export type StrategyOptions = Record<string, string | number | boolean | undefined>;

/** A strategy the registry can build by name; plug-ins add their own. Options are read by the zod schema. */
export type StrategyEntry = RegistryEntry<Strategy, void>;

const k = numberOption({ whole: true, min: 1, all: true });
const width = numberOption({ whole: true, min: 1, all: true });

/** The strategies by name: the built-ins, and those plug-ins register. */
export const strategies = createRegistry<Strategy, void>('strategy');

const BUILTIN_STRATEGIES: StrategyEntry[] = [
  {
    name: 'greedy',
    describe: 'one branch, best-valued valid step each time (ReAct with a model)',
    options: z.object({ k: k.optional() }).strict(),
    create: (o) => greedy(o),
  },
  {
    name: 'best-of-k',
    describe: 'sample k candidates per step, execute the best',
    options: z.object({ k: k.optional() }).strict(),
    create: (o) => bestOfK(o),
  },
  {
    name: 'beam',
    describe: 'keep the width best paths per depth by aggregated value',
    options: z.object({ width: width.optional(), k: k.optional(), aggregate: choiceOption(['last', 'mean', 'min', 'sum']).optional() }).strict(),
    create: (o) => beam(o),
  },
  {
    name: 'bfs',
    describe: 'Tree-of-Thoughts BFS: keep the width best per level (width=all is exhaustive)',
    options: z.object({ width: width.optional(), k: k.optional(), select: choiceOption(['greedy', 'sample']).optional() }).strict(),
    create: (o) => bfs(o),
  },
  {
    name: 'dfs',
    describe: 'Tree-of-Thoughts DFS with a value threshold, backtracking',
    options: z.object({ threshold: numberOption().optional(), k: k.optional() }).strict(),
    create: (o) => dfs(o),
  },
  {
    name: 'mcts',
    describe: 'Monte Carlo tree search, UCT or PUCT, virtual loss for parallel simulations',
    options: z
      .object({
        simulations: numberOption({ whole: true, min: 1 }).optional(),
        variant: choiceOption(['uct', 'puct']).optional(),
        exploration: numberOption({ min: 0 }).optional(),
        'rollout-depth': numberOption({ whole: true, min: 0 }).optional(),
        'virtual-loss': numberOption({ min: 0 }).optional(),
        prior: choiceOption(['proposer', 'value']).optional(),
        'prior-temperature': numberOption({ min: 0.001 }).optional(),
        k: k.optional(),
      })
      .strict(),
    create: (o) =>
      mcts({
        simulations: o.simulations,
        variant: o.variant,
        exploration: o.exploration,
        rolloutDepth: o['rollout-depth'],
        virtualLoss: o['virtual-loss'],
        prior: o.prior,
        priorTemperature: o['prior-temperature'],
        k: o.k,
      }),
  },
];
for (const entry of BUILTIN_STRATEGIES) strategies.register(entry);

/** Builds a strategy by name; throws UsageError for an unknown name, and OptionError for an option it does not read or a bad value. */
export function createStrategy(name: string, options: StrategyOptions = {}): Strategy {
  return strategies.create(name, options, undefined);
}
