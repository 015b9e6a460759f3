import type { Environment, Problem, Task } from '../core/environment.ts';
import { UsageError } from '../core/errors.ts';
import { monteCarloValues } from '../credit/mc-value.ts';
import { environments } from '../envs/registry.ts';
import type { RunRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { stepFeatures, type FeatureSettings } from './features.ts';
import type { Example } from './train.ts';

export interface Dataset {
  env: string;
  examples: Example[];
  tasks: string[];
}

/**
 * Training examples from recorded trees: every valid step that has a Monte Carlo value (with `unfinished`
 * deciding how leaves where search stopped count) becomes (features of the step, its value). All runs must
 * be of one environment, since features and values mean different things in different ones.
 */
export async function collectExamples(store: Store, runs: readonly RunRecord[], options: { features: FeatureSettings; unfinished: 'failure' | 'ignore'; onTask?: () => void }): Promise<Dataset> {
  const envNames = [...new Set(runs.map((r) => r.env.name))];
  if (envNames.length !== 1) throw new UsageError(`the runs are of several environments (${envNames.join(', ')}); a value model learns one`, { hint: 'pass runs of one environment' });
  const entry = environments.find(envNames[0]);
  if (!entry) throw new UsageError(`environment "${envNames[0]}" is not registered, so its states cannot be featurized`, { hint: `environments: ${environments.names().join(', ')}; load the plug-in that has it with --plugin <file|package>` });
  const env = entry.env as Environment<unknown, unknown>;
  const examples: Example[] = [];
  const tasks: string[] = [];
  for (const run of runs) {
    for (const task of await store.getTasks(run.id)) {
      options.onTask?.();
      const tree = await store.getTree(run.id, task.taskId);
      const loaded: Task = { id: task.taskId, env: run.env.name, source: task.source, spec: task.spec, meta: task.meta };
      const problem = env.load(loaded) as Problem<unknown, unknown>;
      const values = monteCarloValues(tree, { unfinished: options.unfinished });
      const byId = new Map(tree.nodes.map((n) => [n.id, n]));
      // Named by where the task came from, not the run's random id, so the same tasks give the same held-out split.
      const group = `${task.source}|${task.taskId}`;
      tasks.push(group);
      for (const node of tree.nodes) {
        const value = values.get(node.id)?.value;
        const parent = node.parentId === null ? undefined : byId.get(node.parentId);
        if (!parent || value === null || value === undefined || node.action === null || !node.check.valid) continue;
        const features = stepFeatures({ env, problem, state: parent.state, action: node.action, next: node.state, check: node.check, success: node.success, depth: parent.depth }, options.features);
        examples.push({ features, target: value, group, parent: parent.id });
      }
    }
  }
  return { env: envNames[0], examples, tasks };
}
