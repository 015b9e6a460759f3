import { creditFor } from '../credit/annotations.ts';
import type { RunRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { ExportOptions, ExportRun, ExportTask } from './format.ts';
import { taskPrompts } from './prompts.ts';

/** A run's tasks for export, read one at a time; with successOnly, only the solved ones. */
export function exportRun(store: Store, run: RunRecord, options: ExportOptions, onTask?: () => void): ExportRun {
  return {
    run,
    store,
    async *tasks(): AsyncIterable<ExportTask> {
      for (const task of await store.getTasks(run.id)) {
        onTask?.();
        const tree = await store.getTree(run.id, task.taskId);
        if (options.successOnly && tree.result?.outcome !== 'solved') continue;
        yield { tree, result: tree.result, credit: await creditFor(store, tree), prompts: taskPrompts(run, task, tree.nodes) };
      }
    },
  };
}
