import { availableParallelism } from 'node:os';
import type { Browser } from 'playwright-core';
import type { Problem, Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import type { ToolSpec } from '../../core/world.ts';
import { resolveKeyNodes, suiteKeyNodeSchema, type ResolvedKeyNode, type SuiteKeyNode } from '../../eval/key-node.ts';
import type { BrowserAction } from './action.ts';
import { createLimiter } from '../../search/limiter.ts';
import { launchChromium } from './chromium.ts';
import { enumerateGuiActions } from './enumerate.ts';
import { startPageServer, type PageServer } from './page-server.ts';
import { browserStateKey, renderBrowserState, type BrowserState } from './state.ts';
import type { BrowserTaskSpec } from './tasks.ts';
import { firstLine, openBrowserWorld, type BrowserWorld, type WorldSetup } from './world.ts';

export interface BrowserProblemOptions {
  /** A browser to use instead of launching one per problem (tests share one per file); stepwise never closes it. */
  browser?: Browser;
  /** Page loads and steps running at once across this task's worlds (default: the cores, at most 4). */
  parallelSteps?: number;
  /** How long a page may take to load and its episode to be ready (default 15 s: generous, a loaded machine is slow). */
  loadTimeoutMs?: number;
  /** How long one click, fill or other action may take (default 10 s). */
  actionTimeoutMs?: number;
}

/** The browser problem: its worlds, the enumerator, the key nodes its steps are checked against. */
export interface BrowserProblem extends Problem<BrowserState, BrowserAction> {
  start(context: { signal: AbortSignal; artifactsDir: string | null }): Promise<void>;
  openWorld(signal?: AbortSignal): Promise<BrowserWorld>;
  /** The key nodes checked on every step (after `start`). */
  readonly keyNodes: readonly ResolvedKeyNode[];
  close(): Promise<void>;
}

/**
 * One task in a real browser: one Chromium per problem (launched on `start`, relaunched if it crashes), one
 * context per world, the task's folder served from 127.0.0.1. Steps have side effects, so the engine's world pool
 * (src/worlds) runs them: a branch gets a world positioned by `restore` (its action prefix re-executed from the
 * task's seed in a reused tab; pages are deterministic for a seed) or by re-executing on a fresh world. `close`
 * closes every world, the browser and the page server.
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
  let server: PageServer | null = null;
  let browser: Promise<Browser> | null = null;
  let initial: BrowserState | null = null;
  let keyNodes: ResolvedKeyNode[] = taskKeyNodes;
  let tools: ToolSpec[] = [];
  let utterance = '';
  let artifactsDir: string | null = null;
  let closed = false;
  const open = new Set<BrowserWorld>();
  // Chromium work at once, whatever the pool's bound on live worlds: more than the cores only makes every page time out.
  const busy = createLimiter(options.parallelSteps ?? Math.max(1, Math.min(4, availableParallelism())));

  const getBrowser = async (): Promise<Browser> => {
    if (options.browser) return options.browser;
    if (browser) {
      const current = await browser.catch(() => null);
      if (current?.isConnected()) return current;
      // It crashed or was closed under us: start a new one (its worlds report themselves dead).
    }
    browser = launchChromium();
    return browser;
  };

  const setup = (): WorldSetup => ({
    browser: getBrowser,
    origin: server!.origin,
    page: spec.page,
    seed: spec.seed,
    loadTimeoutMs: options.loadTimeoutMs ?? 15_000,
    actionTimeoutMs: options.actionTimeoutMs ?? 10_000,
    artifactsDir,
    keyNodes: taskKeyNodes,
  });
  const pageKeyNodes = (raw: unknown[]) =>
    resolveKeyNodes(raw.map((node) => suiteKeyNodeSchema.parse(node))).map((node) => ({ ...node, id: `p-${node.id}` }));

  const openWorld = async (): Promise<BrowserWorld> => {
    if (closed) throw new Error(`browser task ${task.id} is closed`);
    if (!server) throw new Error(`browser task ${task.id} was not started (call start() first)`);
    let world: BrowserWorld;
    try {
      world = await busy.run(() => openBrowserWorld(setup(), pageKeyNodes));
    } catch (error) {
      // Playwright's messages carry a call log (and colour codes): the reason recorded is its first line.
      throw new Error(`the task page could not be opened: ${firstLine(error)}`, { cause: error });
    }
    open.add(world);
    const close = world.close.bind(world);
    const step = world.step.bind(world);
    return Object.assign(world, {
      step: (action: BrowserAction, context?: Parameters<BrowserWorld['step']>[1]) => busy.run(() => step(action, context)),
      close: async () => {
        open.delete(world);
        await close();
      },
    });
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
    sideEffects: true,
    async start(context) {
      artifactsDir = context.artifactsDir;
      server ??= await startPageServer(root);
      const world = await openWorld();
      initial = world.state;
      utterance = world.episode.utterance;
      tools = world.episode.tools;
      keyNodes = [...world.keyNodes];
      await world.close();
    },
    openWorld,
    step(): never {
      throw new TaskError('a browser step acts on a live page: it runs only in a world (openWorld), never as a lookahead', {
        hint: 'search runs it through the world pool; to step by hand, openWorld() and call world.step(action)',
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
      await Promise.all([...open].map((world) => world.close()));
      if (browser && !options.browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
      await server?.close();
    },
  };
  return problem;
}
