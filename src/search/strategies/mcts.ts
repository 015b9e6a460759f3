import { defineStrategy, freshChildren, type Strategy } from '../strategy.ts';
import { SearchStopped, type SearchTree, type TreeNode } from '../tree.ts';

export interface MctsConfig {
  /** Simulations to run in total (each is select → expand → evaluate → back up). */
  simulations?: number;
  /** `uct` (UCB1) or `puct` (AlphaZero-style, weighting exploration by the proposer's priors). */
  variant?: 'uct' | 'puct';
  /** The exploration constant c. */
  exploration?: number;
  /** Steps of greedy rollout below a new leaf before its value is read; 0 uses the scorers' value. */
  rolloutDepth?: number;
  /** Visits charged to a path while a simulation on it is in flight, so parallel simulations spread out. */
  virtualLoss?: number;
  /** Simulations in flight at once; defaults to the run's concurrency. */
  parallel?: number;
  k?: number;
  /** Stop as soon as a successful node is found. */
  stopOnSolution?: boolean;
}

type Node = TreeNode<any, any>;

/** Monte Carlo tree search (UCT / PUCT) with virtual loss for parallel simulations. */
export function mcts(config: MctsConfig = {}): Strategy {
  const settings = {
    simulations: config.simulations ?? 1000,
    variant: config.variant ?? 'uct',
    exploration: config.exploration ?? (config.variant === 'puct' ? 1.0 : Math.SQRT2),
    rolloutDepth: config.rolloutDepth ?? 0,
    virtualLoss: config.virtualLoss ?? 1,
    parallel: config.parallel,
    k: config.k ?? Infinity,
    stopOnSolution: config.stopOnSolution ?? true,
  };
  return defineStrategy({
    name: 'mcts',
    config: { ...settings, k: Number.isFinite(settings.k) ? settings.k : 'all', parallel: settings.parallel ?? 'concurrency' },
    async search(tree) {
      await runMcts(tree, settings);
    },
  });
}

interface Settings {
  simulations: number;
  variant: 'uct' | 'puct';
  exploration: number;
  rolloutDepth: number;
  virtualLoss: number;
  parallel?: number;
  k: number;
  stopOnSolution: boolean;
}

async function runMcts(tree: SearchTree<any, any>, s: Settings): Promise<void> {
  const dead = new Set<Node>();
  // Nodes whose children are all executed; others may still be mid-expansion in another simulation.
  const expanded = new Set<Node>();
  // Leaves another simulation is expanding right now; selection steers around them instead of waiting.
  const pending = new Map<Node, Promise<unknown>>();
  let started = 0;
  const finished = () => dead.has(tree.root) || (s.stopOnSolution && tree.solution() !== null);

  const isDead = (node: Node): boolean => {
    if (dead.has(node)) return true;
    if (!node.success && !tree.expandable(node)) {
      dead.add(node);
      return true;
    }
    return false;
  };

  // A node whose every child is dead is dead too; propagate up so selection never returns there.
  const markDead = (node: Node) => {
    for (let n: Node | null = node; n; n = n.parent) {
      if (n !== node && !(expanded.has(n) && n.children.every((c) => dead.has(c)))) return;
      dead.add(n);
    }
  };

  const ucb = (parent: Node, child: Node, siblings: number): number => {
    const n = child.visits + child.virtualLoss;
    const q = n > 0 ? child.valueSum / n : 0;
    const parentVisits = parent.visits + parent.virtualLoss;
    if (s.variant === 'puct') {
      const prior = child.candidate?.prior ?? 1 / siblings;
      return q + (s.exploration * prior * Math.sqrt(Math.max(parentVisits, 1))) / (1 + n);
    }
    if (n === 0) return Number.POSITIVE_INFINITY;
    return q + s.exploration * Math.sqrt(Math.log(Math.max(parentVisits, 1)) / n);
  };

  /** The path to a leaf, or null when every live leaf is being expanded by another simulation. */
  const select = (): Node[] | null => {
    const path: Node[] = [tree.root];
    let node = tree.root;
    if (pending.has(node)) return null;
    while (expanded.has(node) && !node.terminal) {
      const alive = node.children.filter((c) => !isDead(c));
      if (alive.length === 0) break;
      const live = alive.filter((c) => !pending.has(c));
      if (live.length === 0) return null;
      let best = live[0];
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const child of live) {
        // Unvisited children tie at +Infinity under UCT: break ties by the scorers' value.
        const score = ucb(node, child, live.length) + (child.value ?? 0) * 1e-9;
        if (score > bestScore || (score === bestScore && (child.value ?? 0) > (best.value ?? 0))) {
          best = child;
          bestScore = score;
        }
      }
      node = best;
      path.push(node);
    }
    return path;
  };

  const evaluate = (node: Node): number => (node.success ? 1 : node.terminal || !node.check.valid ? 0 : (node.value ?? 0));

  const bestChild = (children: Node[]): Node | null => {
    let best: Node | null = null;
    for (const child of children) if (!best || (child.value ?? 0) > (best.value ?? 0)) best = child;
    return best;
  };

  const simulate = async (): Promise<boolean> => {
    const selected = select();
    if (!selected) {
      await Promise.race(pending.values()).catch(() => {});
      return false;
    }
    const path = [...selected];
    for (const n of selected) n.virtualLoss += s.virtualLoss;
    try {
      let leaf = path[path.length - 1];
      if (!leaf.success && tree.expandable(leaf) && !expanded.has(leaf)) {
        const expansion = tree.expandAll(leaf, s.k);
        pending.set(leaf, expansion);
        const children = freshChildren(await expansion.finally(() => pending.delete(leaf)));
        expanded.add(leaf);
        const next = children.find((c) => c.success) ?? bestChild(children);
        if (!next) {
          markDead(leaf);
          return true;
        }
        path.push(next);
        leaf = next;
        for (let depth = 0; depth < s.rolloutDepth && !leaf.success && tree.expandable(leaf); depth++) {
          const rolled = freshChildren(await tree.expandAll(leaf, s.k));
          expanded.add(leaf);
          const step = rolled.find((c) => c.success) ?? bestChild(rolled);
          if (!step) break;
          path.push(step);
          leaf = step;
        }
      } else if (!leaf.success) {
        markDead(leaf);
        return true;
      }
      const value = evaluate(leaf);
      for (const n of path) {
        n.visits += 1;
        n.valueSum += value;
      }
      return true;
    } finally {
      for (const n of selected) n.virtualLoss -= s.virtualLoss;
    }
  };

  const worker = async () => {
    while (started < s.simulations && !finished()) {
      tree.checkBudget();
      started++;
      // Waiting for another simulation's expansion is not a simulation of its own.
      if (!(await simulate())) started--;
    }
  };

  const parallel = Math.max(1, s.parallel ?? tree.limiter.slots);
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    markBestPath(tree.root);
  }
  if (tree.stopReason) throw new SearchStopped(tree.stopReason);
}

/** Marks the most-visited path from the root, which is MCTS's answer when no solution was found. */
function markBestPath(root: Node) {
  let node: Node | undefined = root;
  while (node) {
    node.selected = true;
    let best: Node | undefined;
    for (const child of node.children) if (child.visits > 0 && (!best || child.visits > best.visits)) best = child;
    node = best;
  }
}
