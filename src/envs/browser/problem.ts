import type { Browser } from 'playwright-core';
import type { Problem, Task, Transition } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import type { ToolSpec } from '../../core/world.ts';
import { resolveKeyNodes, suiteKeyNodeSchema, type ResolvedKeyNode, type SuiteKeyNode } from '../../eval/key-node.ts';
import { createLimiter } from '../../search/limiter.ts';
import type { BrowserAction } from './action.ts';
import { launchChromium } from './chromium.ts';
import { enumerateGuiActions } from './enumerate.ts';
import { startPageServer, type PageServer } from './page-server.ts';
import { browserStateKey, renderBrowserState, type BrowserState } from './state.ts';
import type { BrowserTaskSpec } from './tasks.ts';
import { openBrowserWorld, type BrowserWorld, type WorldSetup } from './world.ts';

export interface BrowserProblemOptions {
  /** A browser to use instead of launching one per problem (tests share one per file); stepwise never closes it. */
  browser?: Browser;
  /** Live worlds (browser contexts) at once when the problem steps its own worlds (default 4). */
  maxWorlds?: number;
  loadTimeoutMs?: number;
  actionTimeoutMs?: number;
}

/** The browser problem: its worlds, the enumerator, and a `step` that positions a world at any recorded state. */
export interface BrowserProblem extends Problem<BrowserState, BrowserAction> {
  start(context: { signal: AbortSignal; artifactsDir: string | null }): Promise<void>;
  openWorld(signal?: AbortSignal): Promise<BrowserWorld>;
  /** The key nodes checked on every step (after `start`). */
  readonly keyNodes: readonly ResolvedKeyNode[];
  /** Prefix actions re-executed so far to give branches their own worlds (the cost the bench measures). */
  readonly reExecutedSteps: number;
  close(): Promise<void>;
}

/**
 * One task in a real browser: one Chromium per problem (launched on `start`, relaunched if it crashes), one
 * context per world, the task's folder served from 127.0.0.1. `step(state, action)` gives the step a world at
 * `state`: an idle world already there, else a fresh context with the state's action prefix re-executed from the
 * task's seed (pages are deterministic for a seed). Every world and the browser are closed by `close`.
 */
export function loadBrowserProblem(task: Task<BrowserTaskSpec>, root: string, options: BrowserProblemOptions = {}): BrowserProblem {
  const spec = task.spec;
  let taskKeyNodes: ResolvedKeyNode[];
  try {
    taskKeyNodes = resolveKeyNodes((spec.keyNodes ?? []).map((node) => suiteKeyNodeSchema.parse(node)));
  } catch (error) {
    throw new TaskError(`browser task ${task.id} has a key node that does not read: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'write WebCanvas/Mind2Web-Live entries ({ match_function_name, content: { reference_answer, key?, path? } }) or native key nodes',
    });
  }
  const maxWorlds = options.maxWorlds ?? 4;
  const inUse = createLimiter(maxWorlds);
  let server: PageServer | null = null;
  let browser: Promise<Browser> | null = null;
  let initial: BrowserState | null = null;
  let keyNodes: ResolvedKeyNode[] = taskKeyNodes;
  let tools: ToolSpec[] = [];
  let utterance = '';
  let artifactsDir: string | null = null;
  let reExecuted = 0;
  let closed = false;
  const open = new Set<BrowserWorld>();
  // Idle worlds by the position they are at (their action prefix), oldest first.
  const idle: { key: string; world: BrowserWorld }[] = [];

  const getBrowser = async (): Promise<Browser> => {
    if (options.browser) return options.browser;
    if (browser) {
      const current = await browser.catch(() => null);
      if (current?.isConnected()) return current;
      // It crashed or was closed under us: drop its worlds and start a new one.
      for (const entry of idle.splice(0)) open.delete(entry.world);
    }
    browser = launchChromium();
    return browser;
  };

  const setup = (): WorldSetup => ({
    browser: getBrowser,
    origin: server!.origin,
    page: spec.page,
    seed: spec.seed,
    loadTimeoutMs: options.loadTimeoutMs ?? 5000,
    actionTimeoutMs: options.actionTimeoutMs ?? 3000,
    artifactsDir,
    keyNodes: taskKeyNodes,
  });
  const pageKeyNodes = (raw: unknown[]) =>
    resolveKeyNodes(raw.map((node) => suiteKeyNodeSchema.parse(node))).map((node) => ({ ...node, id: `p-${node.id}` }));

  const openWorld = async (): Promise<BrowserWorld> => {
    if (closed) throw new Error(`browser task ${task.id} is closed`);
    if (!server) throw new Error(`browser task ${task.id} was not started (call start() first)`);
    const world = await openBrowserWorld(setup(), pageKeyNodes);
    open.add(world);
    const close = world.close.bind(world);
    return Object.assign(world, {
      close: async () => {
        open.delete(world);
        await close();
      },
    });
  };

  const positionKey = (history: readonly BrowserAction[]) => JSON.stringify(history);

  const park = async (world: BrowserWorld) => {
    if (closed || !world.alive) return world.close();
    idle.push({ key: positionKey(world.state.history), world });
    while (idle.length > maxWorlds) await idle.shift()!.world.close();
  };

  /** A world at `state`: an idle one already there, else the least recently used idle one (or a new one) moved there by re-execution. */
  const worldAt = async (state: BrowserState): Promise<BrowserWorld> => {
    const key = positionKey(state.history);
    const at = idle.findIndex((entry) => entry.key === key && entry.world.alive);
    if (at >= 0) return idle.splice(at, 1)[0].world;
    const reused = idle.length > 0 ? idle.shift()!.world : null;
    const world = reused?.alive ? reused : await openWorld();
    if (reused && world !== reused) await reused.close();
    reExecuted += state.history.length;
    const moved = world === reused ? await world.moveTo(state.history) : await world.replay(state.history);
    if (!moved) {
      await world.close();
      throw new Error(`re-executing the ${state.history.length} steps to this page diverged from the record`);
    }
    return world;
  };

  const problem: BrowserProblem = {
    get initialState(): BrowserState {
      // Before `start` only the task is known; the runner starts the problem before it reads this.
      return initial ?? { url: spec.page, title: '', utterance: '', focused: null, elements: [], text: '(the page is not loaded yet)', reward: 0, done: false, storage: '', keyNodes: [], target: null, history: [] };
    },
    get goalText() {
      return utterance || `the task on ${spec.page} (seed ${spec.seed})`;
    },
    get keyNodes() {
      return keyNodes;
    },
    get reExecutedSteps() {
      return reExecuted;
    },
    sideEffects: true,
    async start(context) {
      artifactsDir = context.artifactsDir;
      server ??= await startPageServer(root);
      const world = await openWorld();
      initial = world.state;
      utterance = world.episode.utterance;
      tools = world.episode.tools;
      keyNodes = [...world.keyNodes];
      await park(world);
    },
    openWorld,
    async step(state, action): Promise<Transition<BrowserState>> {
      return inUse.run(async () => {
        let world: BrowserWorld;
        try {
          world = await worldAt(state);
        } catch (error) {
          const reason = `no world could be positioned at this page: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
          return { state, observation: `refused: ${reason}`, reward: 0, done: false, success: false, check: { valid: false, reason } };
        }
        try {
          return await world.step(action);
        } finally {
          await park(world);
        }
      });
    },
    legalActions: (state) => enumerateGuiActions(state),
    render: renderBrowserState,
    stateKey: browserStateKey,
    heuristic(state) {
      if (state.done) return state.reward > 0 ? 1 : 0;
      if (state.keyNodes.length === 0) return 0;
      // Key nodes met are progress, short of the page's own reward.
      return (0.9 * state.keyNodes.reduce((sum, score) => sum + score, 0)) / state.keyNodes.length;
    },
    tools: () => tools,
    async close() {
      if (closed) return;
      closed = true;
      idle.splice(0);
      await Promise.all([...open].map((world) => world.close()));
      if (browser && !options.browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
      await server?.close();
    },
  };
  return problem;
}
