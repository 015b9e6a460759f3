import { z } from 'zod';
import { defineEnvironment, type Environment, type Problem, type Task, type Transition } from '../core/environment.ts';
import { ActionParseError, TaskError } from '../core/errors.ts';
import type { World, WorldSnapshot } from '../core/world.ts';

/** A ledger task: add the allowed amounts to a running total kept in a live world until it equals `target`. */
export interface LedgerSpec {
  target: number;
  /** Allowed amounts, in the order actions are enumerated. */
  amounts: number[];
}

export interface LedgerState {
  total: number;
  depth: number;
  /** The amounts added so far, with `distinctPaths`. */
  path?: string;
}

export interface LedgerAction {
  add: number;
}

/** What the ledger's worlds did, for tests that check every world is closed and benchmarks that count work. */
export interface LedgerTally {
  opened: number;
  closed: number;
  steps: number;
  snapshots: number;
  restores: number;
  /** Worlds open right now, and the most at once. */
  readonly live: number;
  peak: number;
  problemsClosed: number;
}

export interface LedgerOptions {
  /** Worlds offer snapshot/restore (default true); without, branches re-execute their prefix. */
  snapshots?: boolean;
  /** A step adding this amount throws, as a crashed server would. */
  crashOn?: number;
  /** A step adding this amount never ends (until the run's signal aborts). */
  hangOn?: number;
  /** Each world after the first reports its totals differently: re-execution diverges. */
  diverge?: boolean;
  /** Busy work per step, in ms, like a real world's latency. */
  stepDelayMs?: number;
  /** Every path is its own state (no transpositions), as in a uniform tree: for benchmarks comparing the two. */
  distinctPaths?: boolean;
}

/**
 * A stateful test environment: the total lives in a world (not in the JSON state, which only names the position),
 * so a step taken in the wrong world gives a wrong answer. Counts every open, close, step, snapshot and restore.
 */
export function ledgerEnvironment(options: LedgerOptions = {}): { env: Environment<LedgerState, LedgerAction, LedgerSpec>; tally: LedgerTally } {
  const openWorlds = new Set<object>();
  const tally: LedgerTally = { opened: 0, closed: 0, steps: 0, snapshots: 0, restores: 0, problemsClosed: 0, peak: 0, get live() { return openWorlds.size; } };
  const snapshots = options.snapshots ?? true;
  const env = defineEnvironment<LedgerState, LedgerAction, LedgerSpec>({
    name: 'ledger',
    version: '1',
    actionSchema: z.object({ add: z.number().int() }),
    formatAction: (action) => `add ${action.add}`,
    parseAction(text) {
      const match = /^\s*add\s+(-?\d+)\s*$/i.exec(text);
      if (!match) throw new ActionParseError(`expected "add <n>", got ${JSON.stringify(text)}`);
      return { add: Number(match[1]) };
    },
    load(task: Task<LedgerSpec>): Problem<LedgerState, LedgerAction> {
      const { target, amounts } = task.spec ?? ({} as LedgerSpec);
      if (typeof target !== 'number' || !Array.isArray(amounts)) throw new TaskError(`ledger task ${task.id} needs { target, amounts }`);
      const initialState: LedgerState = { total: 0, depth: 0 };
      let serial = 0;
      const openWorld = async (signal: AbortSignal): Promise<World<LedgerState, LedgerAction>> => {
        const handle = {};
        const number = ++serial;
        let total = 0;
        let depth = 0;
        let path = '';
        let closed = false;
        const here = (): LedgerState => (options.distinctPaths ? { total, depth, path } : { total, depth });
        tally.opened++;
        openWorlds.add(handle);
        tally.peak = Math.max(tally.peak, openWorlds.size);
        const world: World<LedgerState, LedgerAction> = {
          get state() {
            return here();
          },
          async step(action): Promise<Transition<LedgerState>> {
            if (closed) throw new Error('the ledger world is closed');
            if (options.stepDelayMs) await new Promise((resolve) => setTimeout(resolve, options.stepDelayMs));
            if (action.add === options.hangOn) {
              await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
            }
            if (action.add === options.crashOn) throw new Error(`the ledger crashed adding ${action.add}`);
            tally.steps++;
            if (!amounts.includes(action.add)) {
              return { state: here(), observation: `${action.add} is not an allowed amount`, reward: 0, done: false, success: false, check: { valid: false, reason: `allowed amounts are ${amounts.join(', ')}` } };
            }
            total += action.add;
            depth++;
            if (options.distinctPaths) path += `${action.add},`;
            const success = total === target;
            const observation = options.diverge && number > 1 ? `the total is now ${total} (world ${number})` : `the total is now ${total}`;
            return { state: here(), observation, reward: success ? 1 : 0, done: success || total > target, success, check: { valid: true } };
          },
          async close() {
            if (closed) return;
            closed = true;
            tally.closed++;
            openWorlds.delete(handle);
          },
        };
        if (snapshots) {
          world.snapshot = async (): Promise<WorldSnapshot> => {
            tally.snapshots++;
            return { id: `${number}:${total}:${depth}`, dispose() {}, ...here() } as WorldSnapshot;
          };
          world.restore = async (snapshot) => {
            tally.restores++;
            ({ total, depth, path = '' } = snapshot as unknown as LedgerState);
          };
        }
        return world;
      };
      return {
        initialState,
        goalText: `make the total ${target} by adding ${amounts.join(', ')}`,
        sideEffects: true,
        openWorld,
        step() {
          throw new Error('the ledger acts only in a world (openWorld)');
        },
        legalActions: () => amounts.map((add) => ({ add })),
        render: (state) => `total ${state.total} after ${state.depth} steps`,
        stateKey: (state) => (options.distinctPaths ? `${state.total}@${state.path}` : `${state.total}@${state.depth}`),
        heuristic: (state) => Math.max(0, 1 - Math.abs(target - state.total) / Math.max(1, target)),
        close() {
          tally.problemsClosed++;
        },
      };
    },
  });
  return { env, tally };
}

export function ledgerTask(id: string, target: number, amounts: number[]): Task<LedgerSpec> {
  return { id, env: 'ledger', source: `ledger:${target}`, spec: { target, amounts } };
}
