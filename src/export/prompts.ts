import type { Environment, Problem, Task } from '../core/environment.ts';
import { StoreError } from '../core/errors.ts';
import { createRng } from '../core/rng.ts';
import type { StepContext, TrajectoryStep } from '../core/step.ts';
import { environments } from '../envs/registry.ts';
import type { ChatMessage } from '../models/types.ts';
import { defaultTemplate } from '../prompts/load.ts';
import { renderPrompt } from '../prompts/variables.ts';
import { promptViewFor, type PromptView } from '../prompts/view.ts';
import type { NodeRecord, RunRecord, TaskRecord } from '../store/records.ts';
import { pathFromRoot } from '../credit/trajectories.ts';

/** What a model saw and answered at a recorded node, rebuilt from the store with the built-in prompt templates. */
export interface TaskPrompts {
  /** The propose prompt at `node` (its state, the steps so far), as the proposer would have sent it. */
  messagesAt(node: NodeRecord): Promise<ChatMessage[]>;
  /** The step into `node` as an assistant would answer it: the action in the prompt's words. */
  actionWords(node: NodeRecord): string;
  /** The problem in words: goal and initial state, for formats whose prompt is plain text. */
  readonly problemText: string;
}

/** Stands in for a step that was recorded as text only (an unparsable model line, an imported `Answer:`). */
interface TextOnlyAction {
  textOnly: string;
}

/** Loads the run's environment and the task's problem; throws StoreError when the environment is not registered. */
export function taskPrompts(run: RunRecord, task: TaskRecord, nodes: readonly NodeRecord[]): TaskPrompts {
  const entry = environments.find(run.env.name);
  if (!entry) throw new StoreError(`run ${run.id} is for environment "${run.env.name}", which this stepwise cannot load to render prompts`, { hint: `environments: ${environments.names().join(', ')}; load the plug-in that has it with --plugin <file|package>` });
  const env = entry.env as Environment<unknown, unknown>;
  const loaded: Task = { id: task.taskId, env: run.env.name, source: task.source, spec: task.spec, meta: task.meta };
  const problem = env.load(loaded) as Problem<unknown, unknown>;
  const base = promptViewFor(env, problem);
  const view: PromptView<unknown, unknown> = {
    family: base.family,
    state: base.state,
    action: (action) => (isTextOnly(action) ? action.textOnly : base.action(action)),
    initialLabel: base.initialLabel,
  };
  const template = defaultTemplate(view.family, 'propose');
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const stepAction = (node: NodeRecord): unknown => (node.action === null || node.action === undefined ? { textOnly: node.actionText ?? '' } : node.action);
  const actionWords = (node: NodeRecord): string => {
    try {
      return view.action(stepAction(node));
    } catch {
      return node.actionText ?? '';
    }
  };
  return {
    problemText: `${problem.goalText}\n${view.initialLabel ?? 'Initial state'}: ${view.state(problem.initialState)}`,
    actionWords,
    messagesAt(node) {
      const trajectory: TrajectoryStep<unknown>[] = pathFromRoot(node, byId).slice(1).map((n) => ({
        action: stepAction(n), actionText: n.actionText ?? '', observation: n.observation, check: n.check,
      }));
      const ctx: StepContext<unknown, unknown> = {
        runId: run.id, env, problem, task: loaded, nodeId: node.id, depth: node.depth, state: node.state, trajectory,
        rng: createRng(0), signal: new AbortController().signal, charge: () => {},
      };
      return renderPrompt(template, ctx, view, { k: '1' });
    },
  };
}

function isTextOnly(action: unknown): action is TextOnlyAction {
  return typeof action === 'object' && action !== null && typeof (action as TextOnlyAction).textOnly === 'string';
}
