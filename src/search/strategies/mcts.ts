import { defineStrategy, type Strategy } from '../strategy.ts';
import { SearchStopped } from '../../core/errors.ts';
import { isUsable, type ExpandedCandidate, type SearchTree, type TreeNode } from '../tree.ts';

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
  /**
   * Simulations in flight at once. Defaults to the run's concurrency plus a quarter, so a few wait
   * at the limiter and a finished call's slot is refilled before its results are processed.
   */
  parallel?: number;
  k?: number;
  /** Stop as soon as a successful node is found. */
  stopOnSolution?: boolean;
  /** PUCT priors: the proposer's (uniform when it gives none), or a softmax of the scorers' values (a learned value model's, say). */
  prior?: 'proposer' | 'value';
  /** Temperature of the value softmax: lower trusts the values more. */
  priorTemperature?: number;
}

type Node = TreeNode<any, any>;
type Edge = ExpandedCandidate<any, any>;
const noNodes: ReadonlySet<Node> = new Set();

/**
 * Monte Carlo tree search (UCT / PUCT) with virtual loss for parallel simulations. A candidate is
 * executed only when selection first takes it, so unvisited branches cost no nodes or records.
 */
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
    prior: config.prior ?? 'proposer',
    priorTemperature: config.priorTemperature ?? 0.1,
  };
  return defineStrategy({
    name: 'mcts',
    config: { ...settings, k: Number.isFinite(settings.k) ? settings.k : 'all', parallel: settings.parallel ?? 'concurrency+25%' },
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
  prior: 'proposer' | 'value';
  priorTemperature: number;
}

async function runMcts(tree: SearchTree<any, any>, s: Settings): Promise<void> {
  const dead = new Set<Node>();
  // The usable candidates of each node MCTS expanded, best value first; an unexecuted one is an edge not yet taken.
  const edges = new Map<Node, Edge[]>();
  // Nodes being expanded and edges a simulation has claimed; selection steers around them instead of waiting.
  const busy = new Map<Node | Edge, Promise<unknown>>();
  // With `prior: 'value'`, each edge's prior: softmax of the values of its node's usable candidates.
  const valuePriors = new Map<Edge, number>();
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

  // A node is dead once every usable candidate is executed and every child is dead; propagate up.
  const markDead = (node: Node) => {
    dead.add(node);
    for (let n: Node | null = node.parent; n; n = n.parent) {
      const options = edges.get(n);
      if (!options || !options.every((edge) => edge.child !== null && isDead(edge.child))) return;
      dead.add(n);
    }
  };

  // Busy: another simulation is executing the edge or expanding below it, or (blocked) everything under it is busy.
  const available = (edge: Edge, blocked: ReadonlySet<Node>): 'live' | 'busy' | 'dead' => {
    const child = edge.child;
    if (child && isDead(child)) return 'dead';
    return busy.has(edge) || (child && (busy.has(child) || blocked.has(child))) ? 'busy' : 'live';
  };

  type Selection = { path: Node[]; edge: Edge | null };

  /** Descends by UCT/PUCT to a leaf, or to an unexecuted candidate; returns the node where every way down was busy. */
  const descend = (blocked: ReadonlySet<Node>): Selection | { stuck: Node } => {
    const path: Node[] = [tree.root];
    let node = tree.root;
    for (;;) {
      const options = edges.get(node);
      if (!options || node.terminal) return { path, edge: null };
      const parentVisits = Math.max(node.visits + node.virtualLoss, 1);
      const puct = s.variant === 'puct';
      // The parent's share of the exploration term, computed once per node rather than per edge.
      const explore = s.exploration * Math.sqrt(puct ? parentVisits : Math.log(parentVisits));
      let siblings = 0;
      if (puct) for (const edge of options) if (available(edge, blocked) === 'live') siblings++;
      let best: Edge | null = null;
      let bestScore = Number.NEGATIVE_INFINITY;
      let waiting = false;
      for (const edge of options) {
        const state = available(edge, blocked);
        if (state !== 'live') {
          waiting ||= state === 'busy';
          continue;
        }
        // An unexecuted candidate counts as an unvisited child.
        const child = edge.child;
        const n = child ? child.visits + child.virtualLoss : 0;
        const q = child && n > 0 ? child.valueSum / n : 0;
        const value = edge.value ?? 0;
        let score: number;
        if (puct) score = q + (explore * (valuePriors.get(edge) ?? edge.prior ?? 1 / siblings)) / (1 + n);
        else score = n === 0 ? Number.POSITIVE_INFINITY : q + explore / Math.sqrt(n);
        // Unvisited edges tie at +Infinity under UCT: break ties by the scorers' value.
        score += value * 1e-9;
        if (!best || score > bestScore || (score === bestScore && value > (best.value ?? 0))) {
          best = edge;
          bestScore = score;
        }
      }
      if (!best) return waiting ? { stuck: node } : { path, edge: null };
      if (!best.child) return { path, edge: best };
      node = best.child;
      path.push(node);
    }
  };

  /**
   * The best path not blocked by other simulations: where every way down a node is busy, selection
   * backs off and takes the next best branch above it. Null when nothing is left to do but wait.
   */
  const select = (): Selection | null => {
    if (busy.has(tree.root)) return null;
    let blocked: Set<Node> | undefined;
    for (;;) {
      const found = descend(blocked ?? noNodes);
      if (!('stuck' in found)) return found;
      if (found.stuck === tree.root) return null;
      (blocked ??= new Set()).add(found.stuck);
    }
  };

  const whileBusy = <T>(key: Node | Edge, work: Promise<T>): Promise<T> => {
    busy.set(key, work);
    return work.finally(() => busy.delete(key));
  };

  /** Expands `node` and executes its best candidates until one leads to a fresh state; null when none does. */
  const expandAndStep = (node: Node): Promise<Node | null> =>
    whileBusy(
      node,
      (async () => {
        const candidates = await tree.expand(node, s.k);
        // Array sort is stable: equal values keep the proposer's order.
        const options = candidates.filter(isUsable).sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
        edges.set(node, options);
        if (s.prior === 'value' && options.length > 0) {
          // Values are scaled to their spread among siblings, so the prior follows how the siblings rank, whatever the value's scale.
          const top = options[0].value ?? 0;
          const spread = top - Math.min(...options.map((edge) => edge.value ?? 0)) || 1;
          const weights = options.map((edge) => Math.exp(((edge.value ?? 0) - top) / (spread * s.priorTemperature)));
          const total = weights.reduce((sum, w) => sum + w, 0);
          options.forEach((edge, i) => valuePriors.set(edge, weights[i] / total));
        }
        for (const edge of options) {
          const child = await tree.execute(node, edge);
          if (child.check.valid && child.duplicateOf === null) return child;
          dead.add(child);
        }
        return null;
      })(),
    );

  const evaluate = (node: Node): number => (node.success ? 1 : node.terminal || !node.check.valid ? 0 : (node.value ?? 0));

  /** One simulation: select → (execute the chosen edge) → expand → evaluate → back up. False when it only waited. */
  const simulate = async (): Promise<boolean> => {
    for (;;) {
      if (dead.has(tree.root)) return true;
      const selection = select();
      if (!selection) {
        await Promise.race(busy.values()).catch(() => {});
        return false;
      }
      const { path, edge } = selection;
      let leaf = path[path.length - 1];
      if (!edge && !leaf.success && (edges.has(leaf) || !tree.expandable(leaf))) {
        markDead(leaf);
        continue;
      }
      const charged = [...path];
      for (const n of charged) n.virtualLoss += s.virtualLoss;
      // The edge stays claimed until this simulation ends, so no other one takes its new child first.
      let release = () => {};
      if (edge) busy.set(edge, new Promise<void>((resolve) => (release = resolve)));
      try {
        if (edge) {
          const child = await tree.execute(leaf, edge);
          // Its state was unknown until now: a dead end costs no simulation, select again.
          if (isDead(child)) {
            markDead(child);
            continue;
          }
          path.push(child);
          leaf = child;
        }
        if (!leaf.success && tree.expandable(leaf)) {
          const next = await expandAndStep(leaf);
          if (!next) {
            markDead(leaf);
            return true;
          }
          path.push(next);
          leaf = next;
          for (let depth = 0; depth < s.rolloutDepth && !leaf.success && tree.expandable(leaf); depth++) {
            const step = await expandAndStep(leaf);
            if (!step) break;
            path.push(step);
            leaf = step;
          }
        }
        const value = evaluate(leaf);
        for (const n of path) {
          n.visits += 1;
          n.valueSum += value;
        }
        return true;
      } finally {
        for (const n of charged) n.virtualLoss -= s.virtualLoss;
        if (edge) busy.delete(edge);
        release();
      }
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

  const parallel = Math.max(1, s.parallel ?? defaultParallel(tree.limiter.slots));
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    markBestPath(tree.root);
  }
  if (tree.stopReason) throw new SearchStopped(tree.stopReason);
  // Running out of simulations is running out of budget: the task may well be solvable.
  if (!finished() && !tree.solution() && started >= s.simulations) throw new SearchStopped('simulations');
}

/** Slots plus a quarter: enough simulations queue at the limiter that no slot waits for the engine's own work. */
function defaultParallel(slots: number): number {
  return slots + Math.ceil(slots / 4);
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
