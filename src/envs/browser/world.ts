import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StepCheck, Transition } from '../../core/environment.ts';
import type { ToolSpec, World, WorldSnapshot } from '../../core/world.ts';
import type { ResolvedKeyNode } from '../../eval/key-node.ts';
import { scoreStep } from '../../eval/match.ts';
import { formatBrowserAction, isToolCall, targetId, type BrowserAction } from './action.ts';
import { observePage, type PageObservation } from './observe.ts';
import { browserStateKey, renderBrowserState, type BrowserState, type StepTarget } from './state.ts';

/** What every world of one task shares: the browser, where the pages are, the seed, limits, where screenshots go. */
export interface WorldSetup {
  browser: () => Promise<Browser>;
  /** `http://127.0.0.1:<port>` of the task's page server. */
  origin: string;
  /** The task page's path on that server, e.g. `/shop/index.html`. */
  page: string;
  seed: number;
  /** Page load and action limits, in ms. */
  loadTimeoutMs: number;
  actionTimeoutMs: number;
  /** Folder for screenshot files (beside the store); null keeps no screenshots. */
  artifactsDir: string | null;
  /** The task's own key nodes (from its spec); the page's are added when the episode starts. */
  keyNodes: readonly ResolvedKeyNode[];
}

/** What a fresh episode tells about its task: read from the page once it is ready. */
export interface EpisodeFacts {
  utterance: string;
  /** WebCanvas-form key nodes the page declares for its episode (stepwise's pages do; MiniWoB++'s do not). */
  pageKeyNodes: unknown[];
  tools: ToolSpec[];
}

/** A live browser world: one context and page, at one position of the tree. */
export interface BrowserWorld extends World<BrowserState, BrowserAction> {
  readonly episode: EpisodeFacts;
  /** The key nodes checked on every step: the task's, then the page's. */
  readonly keyNodes: readonly ResolvedKeyNode[];
  /** Re-executes actions from the current position without screenshots (a branch's prefix); false when one was refused. */
  replay(actions: readonly BrowserAction[]): Promise<boolean>;
  /** Back to the task's start (a fresh episode from the seed), then `history` re-executed: a branch's position. */
  moveTo(history: readonly BrowserAction[]): Promise<boolean>;
  /** False once the browser under it has gone (crash, close). */
  readonly alive: boolean;
}

/** Loads `setup.page` in a fresh context with `setup.seed` and starts the episode (MiniWoB++'s protocol). */
export async function openBrowserWorld(setup: WorldSetup, resolvePageKeyNodes: (raw: unknown[]) => ResolvedKeyNode[]): Promise<BrowserWorld> {
  const browser = await setup.browser();
  let context: BrowserContext = await browser.newContext({ viewport: { width: 400, height: 320 } });
  let refused: string[] = [];
  let pageErrors: string[] = [];
  let closed = false;
  // False while a branch's prefix is re-executed: no screenshots (key nodes are still checked: later steps build on them).
  let recording = true;
  const guard = async (ctx: BrowserContext) => {
    // Only the task server may be loaded: any other address is refused before a byte leaves the machine.
    await ctx.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url, setup.origin)) return route.continue();
      if (route.request().isNavigationRequest()) refused.push(url);
      return route.abort('blockedbyclient');
    });
  };
  const newPage = async (): Promise<Page> => {
    const opened = await context.newPage();
    opened.setDefaultTimeout(setup.actionTimeoutMs);
    opened.setDefaultNavigationTimeout(setup.loadTimeoutMs);
    opened.on('pageerror', (error) => pageErrors.push(error.message));
    return opened;
  };
  const startEpisode = async (target: Page): Promise<void> => {
    await target.goto(setup.origin + setup.page, { waitUntil: 'load' });
    await target.evaluate((seed) => {
      const w = globalThis as unknown as { Math: { seedrandom?: (s: number) => void }; core?: { startEpisodeReal?: () => void } };
      if (typeof w.Math.seedrandom !== 'function' || typeof w.core?.startEpisodeReal !== 'function') {
        throw new Error('the page does not follow MiniWoB++\'s protocol (no Math.seedrandom or core.startEpisodeReal)');
      }
      w.Math.seedrandom(seed);
      w.core.startEpisodeReal();
    }, setup.seed);
    await target.waitForFunction('window.WOB_TASK_READY === true', undefined, { timeout: setup.loadTimeoutMs });
    // The episode's first page is the start of the tab's history, however the tab got here: go_back there does nothing.
    const cdp = await context.newCDPSession(target);
    await cdp.send('Page.resetNavigationHistory').finally(() => cdp.detach());
  };

  await guard(context);
  let page = await newPage();
  await startEpisode(page);
  const episode = await page.evaluate(() => {
    const w = globalThis as unknown as {
      core: { getUtterance: () => string; getKeyNodes?: () => unknown[] };
      stepwiseTools?: Record<string, { description?: string; parameters?: Record<string, unknown> }>;
    };
    const tools = Object.entries(w.stepwiseTools ?? {}).map(([name, tool]) => ({ name, description: tool.description ?? name, parameters: tool.parameters ?? { type: 'object' } }));
    return { utterance: String(w.core.getUtterance()), pageKeyNodes: w.core.getKeyNodes?.() ?? [], tools };
  });
  const keyNodes = [...setup.keyNodes, ...resolvePageKeyNodes(episode.pageKeyNodes)];
  const first = await observePage(page);
  let state: BrowserState = await stateOf(first, null, {
    keyNodes: keyNodes.map(() => 0),
    history: [],
    utterance: episode.utterance,
  });
  state = { ...state, keyNodes: await checkKeyNodes(keyNodes, state.keyNodes, state, '') };
  const initialState = state;

  /**
   * Back to the task's start: in this tab when it is still on the task server (storage and history cleared, the
   * start page loaded with the seed: far cheaper than a new tab), else in a fresh context.
   */
  const reset = async () => {
    let inPlace = browser.isConnected() && !page.isClosed() && page.url().startsWith(`${setup.origin}/`);
    if (inPlace) {
      try {
        await page.evaluate('sessionStorage.clear(); localStorage.clear();');
        await context.clearCookies();
        await startEpisode(page);
      } catch {
        inPlace = false;
      }
    }
    if (!inPlace) {
      await context.close().catch(() => undefined);
      context = await browser.newContext({ viewport: { width: 400, height: 320 } });
      await guard(context);
      page = await newPage();
      await startEpisode(page);
    }
    await observePage(page);
    state = initialState;
  };

  /** Re-executes actions from the current position without screenshots; false when one was refused. */
  const replay = async (actions: readonly BrowserAction[]): Promise<boolean> => {
    recording = false;
    try {
      for (const action of actions) {
        // The world's own step, not a wrapper a caller put on it (a limiter must not be taken twice by one step).
        const result = await ownStep.call(world, action);
        if (!result.check.valid) return false;
      }
      return true;
    } finally {
      recording = true;
    }
  };

  /** Puts the page back where `state` says after a step that may have left it elsewhere (an invalid step). */
  const heal = async () => {
    const prefix = state.history;
    await reset();
    if (!(await replay(prefix))) throw new Error('re-executing the prefix diverged');
  };

  async function stateOf(seen: PageObservation, target: StepTarget | null, carry: Pick<BrowserState, 'keyNodes' | 'history' | 'utterance'> & Partial<BrowserState>): Promise<BrowserState> {
    const next: BrowserState = {
      url: seen.url,
      title: seen.title,
      utterance: carry.utterance,
      focused: seen.focused,
      elements: seen.elements,
      text: seen.text,
      reward: seen.reward,
      done: seen.done,
      storage: createHash('sha256').update(seen.storage).digest('hex').slice(0, 16),
      keyNodes: carry.keyNodes,
      target,
      history: carry.history,
      ...(carry.toolResult !== undefined ? { toolResult: carry.toolResult } : {}),
      ...(carry.answer !== undefined ? { answer: carry.answer } : {}),
    };
    const shot = await screenshot();
    return shot ? { ...next, screenshot: shot } : next;
  }

  async function screenshot(): Promise<string | undefined> {
    if (!setup.artifactsDir || !recording) return undefined;
    // A screenshot that fails (a page too busy to paint) costs the picture, not the step.
    const png = await page.screenshot({ type: 'png', animations: 'disabled', caret: 'hide', timeout: setup.loadTimeoutMs }).catch(() => null);
    if (!png) return undefined;
    // Content-addressed: identical pages share one file, and a re-executed step rewrites the same name.
    const name = `screens/${createHash('sha256').update(png).digest('hex').slice(0, 20)}.png`;
    await mkdir(join(setup.artifactsDir, 'screens'), { recursive: true });
    await writeFile(join(setup.artifactsDir, name), png);
    return name;
  }

  /** Acts on the page; returns the target the step acted on, a tool's result, or why it could not act. */
  async function perform(action: BrowserAction): Promise<{ target: StepTarget | null; toolResult?: unknown; refusedBeforeActing?: string }> {
    if (isToolCall(action)) {
      const known = episode.tools.some((tool) => tool.name === action.tool);
      if (!known) return { target: null, refusedBeforeActing: `the page offers no tool "${action.tool}" (it offers ${episode.tools.map((t) => t.name).join(', ') || 'none'})` };
      const result = await page.evaluate(async ({ tool, args }) => {
        const tools = (globalThis as unknown as { stepwiseTools: Record<string, { call: (a: unknown) => unknown }> }).stepwiseTools;
        return JSON.parse(JSON.stringify((await tools[tool].call(args)) ?? null)) as unknown;
      }, { tool: action.tool, args: action.args });
      return { target: null, toolResult: result };
    }
    const id = targetId(action);
    const element = id ? page.locator(`[data-sw-id="${id}"]`) : null;
    if (element && (await element.count()) === 0) return { target: null, refusedBeforeActing: `element ${id} is not on the page (it vanished, or the page never showed it)` };
    const pathOf = async () => state.elements.find((e) => e.id === id)?.path ?? `[data-sw-id="${id}"]`;
    switch (action.type) {
      case 'click': {
        const target = { path: await pathOf(), value: ((await element!.innerText().catch(() => '')) || (await element!.inputValue().catch(() => ''))).trim() };
        await element!.click();
        return { target };
      }
      case 'fill':
        await element!.fill(action.text);
        return { target: { path: await pathOf(), value: action.text } };
      case 'select':
        await element!.selectOption({ label: action.option }).catch(() => element!.selectOption(action.option));
        return { target: { path: await pathOf(), value: action.option } };
      case 'hover':
        await element!.hover();
        return { target: null };
      case 'press':
        await page.keyboard.press(action.key);
        return { target: null };
      case 'scroll':
        await page.mouse.wheel(0, action.direction === 'down' ? 300 : -300);
        return { target: null };
      case 'goto': {
        const url = new URL(action.url, page.url()).toString();
        if (!isLocal(url, setup.origin)) return { target: null, refusedBeforeActing: `refused to leave the task server: ${url} is not on ${setup.origin}` };
        await page.goto(url, { waitUntil: 'load' });
        return { target: null };
      }
      case 'go_back':
        await page.goBack({ waitUntil: 'load' });
        return { target: null };
      case 'answer':
      case 'stop':
        return { target: null };
    }
  }

  /** Waits until the page has loaded and, on a protocol page, its episode is ready again. */
  async function settle(): Promise<void> {
    await page.waitForLoadState('load');
    await page.waitForFunction("document.readyState === 'complete' && (typeof core === 'undefined' || window.WOB_TASK_READY === true)", undefined, { timeout: setup.loadTimeoutMs });
  }

  const invalid = (reason: string): Transition<BrowserState> => ({
    state,
    observation: `refused: ${reason}`,
    reward: 0,
    done: false,
    success: false,
    check: { valid: false, reason },
  });

  const world: BrowserWorld = {
    episode,
    keyNodes,
    get state() {
      return state;
    },
    get alive() {
      return !closed && browser.isConnected();
    },
    async step(action) {
      if (closed) throw new Error('this browser world is closed');
      if (!browser.isConnected()) return invalid('the browser is gone (it crashed or was closed); a fresh world restarts it');
      refused = [];
      pageErrors = [];
      let acted: Awaited<ReturnType<typeof perform>>;
      let failure: string | null = null;
      try {
        acted = await perform(action);
        if (acted.refusedBeforeActing) return invalid(acted.refusedBeforeActing);
        await settle();
      } catch (error) {
        acted = { target: null };
        failure = describeFailure(error, browser);
      }
      if (refused.length > 0) failure = `refused to leave the task server: the page tried to load ${refused[0]}`;
      else if (pageErrors.length > 0 && failure === null) failure = `the page threw: ${pageErrors[0]}`;
      if (failure !== null) {
        // The page may have moved; put it back where `state` says before anyone steps this world again.
        if (browser.isConnected()) await heal().catch(() => undefined);
        return invalid(failure);
      }
      let next: BrowserState;
      try {
        const seen = await observePage(page);
        const toolResult = isToolCall(action) ? acted.toolResult : state.toolResult;
        const answer = !isToolCall(action) && action.type === 'answer' ? action.text : state.answer;
        next = await stateOf(seen, acted.target, { keyNodes: state.keyNodes, history: [...state.history, action], utterance: state.utterance, toolResult, answer });
        next = { ...next, keyNodes: await checkKeyNodes(keyNodes, state.keyNodes, next, formatBrowserAction(action)) };
      } catch (error) {
        if (browser.isConnected()) await heal().catch(() => undefined);
        return invalid(`the page could not be read after the step: ${describeFailure(error, browser)}`);
      }
      state = next;
      const ended = !isToolCall(action) && (action.type === 'answer' || action.type === 'stop');
      const allMet = keyNodes.length > 0 && next.keyNodes.every((score) => score >= 1);
      const success = (next.done && next.reward > 0) || (ended && allMet);
      const check: StepCheck = { valid: true };
      return {
        state: next,
        observation: observationText(action, next, acted.toolResult),
        reward: next.done ? next.reward : 0,
        done: next.done || ended,
        success,
        check,
      };
    },
    replay,
    // A position is its action prefix (pages are deterministic for a seed): a snapshot holds the prefix, and
    // restore re-executes it in this world's own tab, far cheaper than opening a new one.
    async snapshot() {
      const at = state;
      return { id: `browser:${browserStateKey(at)}`, history: at.history, dispose: () => undefined } as WorldSnapshot & { history: BrowserAction[] };
    },
    async restore(snapshot) {
      const { history } = snapshot as WorldSnapshot & { history?: BrowserAction[] };
      if (!Array.isArray(history)) throw new Error(`snapshot ${snapshot.id} was not taken from a browser world`);
      let moved: boolean;
      try {
        moved = await world.moveTo(history);
      } catch (error) {
        throw new Error(`the world could not be moved back to a snapshot: ${firstLine(error)}`, { cause: error });
      }
      if (!moved) throw new Error(`re-executing the ${history.length} steps of snapshot ${snapshot.id} was refused by the page`);
    },
    async moveTo(history) {
      await reset();
      return replay(history);
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
    },
  };
  const ownStep = world.step;
  return world;
}

function observationText(action: BrowserAction, state: BrowserState, toolResult: unknown): string {
  const done = state.done ? ` · episode over, reward ${state.reward}` : '';
  if (isToolCall(action)) return `${action.tool} returned ${JSON.stringify(toolResult)}${done}`;
  return `${formatBrowserAction(action)} → ${state.url} (${state.elements.length} elements)${done}`;
}

async function checkKeyNodes(nodes: readonly ResolvedKeyNode[], best: readonly number[], state: BrowserState, actionText: string): Promise<number[]> {
  const view = { index: state.history.length, nodeId: '', action: actionText, observation: '', state: renderBrowserState(state), facts: [], last: false, url: state.url, element: state.target };
  return Promise.all(
    nodes.map(async (node, i) => {
      if (best[i] >= 1 || node.type === 'semantic' || ('match' in node && node.match === 'semantic')) return best[i];
      // Semantic nodes need a judge: eval checks them afterwards (`stepwise eval`), not the environment on every step.
      return Math.max(best[i], await scoreStep(node, view).catch(() => 0));
    }),
  );
}

function isLocal(url: string, origin: string): boolean {
  if (url.startsWith('data:') || url.startsWith('about:blank')) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** The first line of an error's message, without terminal colour codes (Playwright appends a call log). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].replace(/\u001b\[[0-9;]*m/g, '').trim();
}

function describeFailure(error: unknown, browser: Browser): string {
  const message = firstLine(error);
  if (!browser.isConnected() || /Target .*closed|browser has been closed|crash/i.test(message)) return `the browser crashed or closed: ${message}`;
  if (/Timeout .*exceeded/i.test(message)) return `the page did not respond in time: ${message}`;
  return `the action failed: ${message}`;
}

