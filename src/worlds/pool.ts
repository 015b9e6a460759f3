import type { Problem, Transition } from '../core/environment.ts';
import { isFatal, StepwiseError } from '../core/errors.ts';
import type { StepContext } from '../core/step.ts';
import type { World, WorldSnapshot } from '../core/world.ts';
import type { TreeNode } from '../search/node.ts';
import { failedStep, WorldDivergence } from './failed-step.ts';

/** Live worlds at once when the run does not say (each may hold a folder copy, a server, a page). */
export const DEFAULT_MAX_WORLDS = 8;

export interface WorldPoolOptions<S, A> {
  problem: Problem<S, A>;
  /** Live worlds at once; more executions than that wait for one to be free. */
  maxWorlds?: number;
  /** Aborted when the run stops: waiting for a world ends, and new worlds are opened with it. */
  signal: AbortSignal;
  /** The error a step waiting for a world throws when the run stops (the tree's SearchStopped). */
  stopped: () => Error;
}

/** How branches got their worlds, for tests and `bench/`. */
export interface WorldPoolStats {
  opened: number;
  closed: number;
  /** Worlds moved to a node by `restore`. */
  restored: number;
  snapshots: number;
  /** Steps executed again on a world to reach a node (prefix re-execution). */
  reexecuted: number;
  /** Steps executed for new nodes. */
  stepped: number;
  /** Most worlds alive at once. */
  peakLive: number;
}

/**
 * The bounded pool of live worlds of one task. `execute(node, action)` runs the step in a world positioned at
 * `node`: a live idle world already there; else one restored from a snapshot at the nearest ancestor (or the
 * node); else a fresh world with the recorded actions re-executed and each observation compared with the record.
 * The world then sits idle at the new child, reused by whichever branch goes on from there (least recently used
 * ones are taken first when the pool is full). `close` closes every world, disposes every snapshot and closes the problem.
 */
export interface WorldPool<S, A> {
  execute(
    node: TreeNode<S, A>,
    action: A,
    context: StepContext<S, A>,
    makeChild: (transition: Transition<S>) => TreeNode<S, A>,
  ): Promise<TreeNode<S, A>>;
  readonly stats: Readonly<WorldPoolStats>;
  /** Live worlds right now (busy or idle). */
  readonly live: number;
  /** Closes everything; safe to call twice. Errors of single worlds are collected, not thrown one by one. */
  close(): Promise<void>;
}

interface LiveWorld<S, A> {
  /** Null while it opens. */
  world: World<S, A> | null;
  /** The node the world sits at, while idle; null while a step holds it. */
  at: TreeNode<S, A> | null;
  lastUsed: number;
}

export function createWorldPool<S, A>(options: WorldPoolOptions<S, A>): WorldPool<S, A> {
  const { problem, signal } = options;
  const maxWorlds = options.maxWorlds ?? DEFAULT_MAX_WORLDS;
  if (!(Number.isInteger(maxWorlds) && maxWorlds >= 1)) {
    throw new StepwiseError('usage', `the world pool needs at least one world, got maxWorlds ${maxWorlds}`, { hint: 'pass a whole number ≥ 1' });
  }
  if (!problem.openWorld) {
    throw new StepwiseError('usage', 'this problem has side effects but no openWorld()', { hint: 'an environment whose steps have side effects must open worlds (src/core/world.ts)' });
  }
  const openWorld = problem.openWorld.bind(problem);
  const worlds = new Set<LiveWorld<S, A>>();
  const idleAt = new Map<TreeNode<S, A>, LiveWorld<S, A>>();
  const snapshots = new Map<TreeNode<S, A>, Promise<WorldSnapshot | null>>();
  const waiting: (() => void)[] = [];
  const stats: WorldPoolStats = { opened: 0, closed: 0, restored: 0, snapshots: 0, reexecuted: 0, stepped: 0, peakLive: 0 };
  let clock = 0;
  let closed: Promise<void> | null = null;

  const wake = () => waiting.shift()?.();
  signal.addEventListener('abort', () => waiting.splice(0).forEach((resume) => resume()), { once: true });

  // Worlds straight from openWorld, not yet moved: only those can start a re-execution from the task's root.
  const fresh = new WeakSet<LiveWorld<S, A>>();

  const open = async (): Promise<LiveWorld<S, A>> => {
    const live: LiveWorld<S, A> = { world: null, at: null, lastUsed: ++clock };
    worlds.add(live); // counted before it opens, so concurrent opens respect the bound
    stats.peakLive = Math.max(stats.peakLive, worlds.size);
    try {
      live.world = await openWorld(signal);
    } catch (error) {
      worlds.delete(live);
      wake();
      throw error;
    }
    stats.opened++;
    fresh.add(live);
    return live;
  };

  const discard = async (live: LiveWorld<S, A>) => {
    if (!worlds.delete(live)) return;
    if (live.at) idleAt.delete(live.at);
    live.at = null;
    try {
      await live.world?.close();
    } finally {
      stats.closed++;
      wake();
    }
  };

  /** Replaces a used world by a fresh one in the same place of the pool, so no other waiter takes the place meanwhile. */
  const reopen = async (live: LiveWorld<S, A>) => {
    const old = live.world;
    live.world = null;
    try {
      await old?.close();
    } finally {
      stats.closed++;
    }
    live.world = await openWorld(signal);
    stats.opened++;
    fresh.add(live);
  };

  const park = (live: LiveWorld<S, A>, node: TreeNode<S, A>) => {
    live.lastUsed = ++clock;
    if (!worlds.has(live)) return;
    if (idleAt.has(node)) {
      void discard(live); // two worlds at one node: one is enough
      return;
    }
    live.at = node;
    idleAt.set(node, live);
    wake();
  };

  const take = (live: LiveWorld<S, A>): LiveWorld<S, A> => {
    if (live.at) idleAt.delete(live.at);
    live.at = null;
    return live;
  };

  const worthKeeping = (node: TreeNode<S, A>) => node.check.valid && !node.terminal && node.duplicateOf === null;

  const snapshotAt = (world: World<S, A>, node: TreeNode<S, A>): Promise<WorldSnapshot | null> => {
    let pending = snapshots.get(node);
    if (!pending && world.snapshot && world.restore) {
      pending = world.snapshot().then(
        (snapshot) => {
          stats.snapshots++;
          return snapshot;
        },
        () => null, // a world that cannot snapshot now is still usable: later branches re-execute
      );
      snapshots.set(node, pending);
    }
    return pending ?? Promise.resolve(null);
  };

  /** A world to move: a new one while under the bound, else the least recently used idle one (its place is snapshotted first). */
  const spare = async (): Promise<LiveWorld<S, A>> => {
    for (;;) {
      if (signal.aborted || closed) throw options.stopped();
      if (worlds.size < maxWorlds) return open();
      let oldest: LiveWorld<S, A> | null = null;
      for (const live of idleAt.values()) if (!oldest || live.lastUsed < oldest.lastUsed) oldest = live;
      if (oldest) {
        const leaving = oldest.at!;
        take(oldest);
        if (worthKeeping(leaving)) await snapshotAt(oldest.world!, leaving);
        return oldest;
      }
      await new Promise<void>((resume) => waiting.push(resume));
    }
  };

  /** A world at `target`, from the nearest ancestor that has an idle world or a snapshot, or from a fresh world. */
  const positionAt = async (target: TreeNode<S, A>, context: StepContext<S, A>): Promise<LiveWorld<S, A>> => {
    const suffix: TreeNode<S, A>[] = [];
    let live: LiveWorld<S, A> | null = null;
    let snapshot: WorldSnapshot | null = null;
    for (let from: TreeNode<S, A> | null = target; from; from = from.parent) {
      const idle = idleAt.get(from);
      if (idle) {
        live = take(idle);
        break;
      }
      snapshot = snapshots.has(from) ? await snapshots.get(from)! : null;
      if (snapshot) break;
      suffix.push(from);
    }
    if (!live) {
      live = await spare();
      try {
        if (snapshot) {
          await live.world!.restore!(snapshot);
          stats.restored++;
        } else {
          if (!fresh.has(live)) await reopen(live);
          suffix.pop(); // the task's root: a fresh world is already there
        }
      } catch (error) {
        await discard(live);
        throw error;
      }
    }
    fresh.delete(live);
    // Re-execute the recorded steps from where the world is down to `target`, checking each against its record.
    for (let i = suffix.length - 1; i >= 0; i--) {
      const node = suffix[i];
      let again: Transition<S>;
      try {
        again = await live.world!.step(node.action as A, context);
      } catch (error) {
        await discard(live);
        throw error;
      }
      stats.reexecuted++;
      const key = problem.stateKey(again.state);
      if (again.observation !== node.observation || key !== node.stateKey) {
        await discard(live);
        if (again.observation !== node.observation) throw new WorldDivergence(node.id, 'observation', node.observation, again.observation);
        throw new WorldDivergence(node.id, 'state key', node.stateKey, key);
      }
    }
    return live;
  };

  return {
    get stats() {
      return stats;
    },
    get live() {
      return worlds.size;
    },
    async execute(node, action, context, makeChild) {
      let live: LiveWorld<S, A>;
      try {
        live = await positionAt(node, context);
      } catch (error) {
        if (signal.aborted || closed) throw options.stopped();
        if (isFatal(error)) throw error;
        return makeChild(failedStep(node.state, error, 'no world could be put at this node'));
      }
      const world = live.world!;
      // Siblings still to be executed here will want this position after the world moves on.
      const siblingsLeft = node.candidates?.some((c) => c.action !== null && !c.invalidReason && c.child === null && c.action !== action);
      if (siblingsLeft) await snapshotAt(world, node);
      let transition: Transition<S>;
      try {
        transition = await world.step(action, context);
        stats.stepped++;
      } catch (error) {
        await discard(live);
        if (signal.aborted || closed) throw options.stopped();
        if (isFatal(error)) throw error;
        return makeChild(failedStep(node.state, error, 'the world failed'));
      }
      const child = makeChild(transition);
      if (transition.check.valid) park(live, child);
      // A refused step leaves the world at the node, unless it changed something on its way (a command killed half-way).
      else if (problem.stateKey(world.state) === node.stateKey) park(live, node);
      else await discard(live);
      return child;
    },
    close() {
      closed ??= (async () => {
        waiting.splice(0).forEach((resume) => resume());
        const failures: unknown[] = [];
        const attempt = async (work: () => unknown) => {
          try {
            await work();
          } catch (error) {
            failures.push(error);
          }
        };
        await Promise.all([...worlds].map((live) => attempt(() => (live.world ? discard(live) : worlds.delete(live)))));
        await Promise.all([...snapshots.values()].map((pending) => attempt(async () => (await pending)?.dispose())));
        snapshots.clear();
        if (failures.length > 0) {
          throw new StepwiseError('world', `${failures.length} world(s) failed to close: ${failures.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')}`, {
            hint: 'check the environment for processes or folders left behind',
          });
        }
      })();
      return closed;
    },
  };
}
