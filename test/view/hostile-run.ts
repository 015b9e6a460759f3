import { z } from 'zod';
import { defineEnvironment, defineGuard, type Task } from '../../src/index.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { heuristicScorer } from '../../src/score/heuristic.ts';
import { runSearch } from '../../src/search/run.ts';
import { bfs } from '../../src/search/strategies/index.ts';
import type { Store } from '../../src/store/store.ts';

/** Text a web page could put in an observation or a model reply; the viewer must show it and never run it. */
export const SCRIPT_ACTION = 'click <script>alert(1)</script>';
export const IMG_OBSERVATION = 'page says <img src=x onerror="window.stepwiseXss = 1"> and <b>bold</b>';
export const REPLY_WITH_MARKUP = '<script>window.stepwiseXss = 2</script><img src=x onerror="window.stepwiseXss = 3">';

interface Page {
  at: string;
  steps: number;
}

const LINKS: Record<string, string[]> = {
  home: [SCRIPT_ACTION, 'open settings', 'rm -rf /'],
  [SCRIPT_ACTION]: ['submit form', 'go back'],
  'open settings': ['toggle dark mode'],
};

/** A tiny "browser": three pages whose actions and observations hold markup; `submit form` succeeds. */
export const hostileEnvironment = defineEnvironment<Page, string, Record<string, never>>({
  name: 'hostile-web',
  version: '1',
  actionSchema: z.string(),
  formatAction: (action) => action,
  parseAction: (text) => text,
  load: () => ({
    initialState: { at: 'home', steps: 0 },
    goalText: 'submit the <form>',
    step: (state, action) => ({
      state: { at: action, steps: state.steps + 1 },
      observation: action === SCRIPT_ACTION ? IMG_OBSERVATION : `now at ${action}`,
      reward: action === 'submit form' ? 1 : 0,
      done: action === 'submit form',
      success: action === 'submit form',
      check: { valid: true },
    }),
    legalActions: (state) => LINKS[state.at] ?? [],
    render: (state) => `<html><body>page ${state.at}</body></html>`,
    stateKey: (state) => state.at,
    heuristic: (state) => (state.at === SCRIPT_ACTION ? 0.8 : state.at === 'submit form' ? 1 : 0.3),
  }),
});

const noDeletes = defineGuard<Page, string>({
  name: 'no-deletes',
  check: (_ctx, candidate) => (candidate.action?.startsWith('rm ') ? { decision: 'deny', reason: 'destructive <command> refused' } : { decision: 'allow' }),
});

/**
 * Searches the hostile environment into `store` with BFS (one denied candidate), then attaches a model call and a
 * credit annotation to the node behind the <script> action, as an LLM proposer and the credit module would.
 */
export async function recordHostileRun(store: Store): Promise<{ runId: string; taskId: string; scriptNodeId: string; solutionNodeId: string }> {
  const task: Task = { id: 'web-1', env: 'hostile-web', source: 'inline:web-1', spec: {} };
  const { runId, results } = await runSearch({
    env: hostileEnvironment,
    tasks: [task],
    proposer: enumerateProposer(),
    scorers: [heuristicScorer()],
    guards: [noDeletes],
    strategy: bfs({ width: 5 }),
    store,
    seed: 7,
  });
  await store.flush();
  const tree = await store.getTree(runId, task.id);
  const scriptNode = tree.nodes.find((node) => node.actionText === SCRIPT_ACTION)!;
  const root = tree.nodes.find((node) => node.parentId === null)!;
  store.append({
    type: 'model_call', runId, taskId: task.id, nodeId: root.id, id: `${root.id}#0`, model: 'openai:fake', requestHash: 'hash-1',
    request: { messages: [{ role: 'user', content: 'Which link next? <script>window.stepwiseXss = 4</script>' }] },
    text: REPLY_WITH_MARKUP, usage: { inputTokens: 50, outputTokens: 12 }, latencyMs: 42, cacheHit: false, cachedFrom: null,
    attempts: 1, error: null, createdAt: Date.now(),
  });
  store.append({
    type: 'annotation', runId, taskId: task.id, nodeId: scriptNode.id, kind: 'credit', key: '',
    data: { mcValue: 0.5, note: '<img src=x onerror="window.stepwiseXss = 5">' }, createdAt: Date.now(),
  });
  await store.flush();
  return { runId, taskId: task.id, scriptNodeId: scriptNode.id, solutionNodeId: results[0].solutionNodeId! };
}
