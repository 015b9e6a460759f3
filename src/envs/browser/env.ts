import { defineEnvironment, type Environment, type Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import { browserActionSchema, formatBrowserAction, parseBrowserAction, type BrowserAction } from './action.ts';
import { loadBrowserProblem, type BrowserProblem, type BrowserProblemOptions } from './problem.ts';
import type { BrowserState } from './state.ts';
import { taskRoot, type BrowserTaskSpec } from './tasks.ts';

export type BrowserEnvironment = Omit<Environment<BrowserState, BrowserAction, BrowserTaskSpec>, 'load'> & { load(task: Task<BrowserTaskSpec>): BrowserProblem };

/** Web tasks in Debian's Chromium driven by playwright-core: pages on MiniWoB++'s protocol, served from 127.0.0.1. */
export function browserEnvironment(options: BrowserProblemOptions = {}): BrowserEnvironment {
  const env = defineEnvironment<BrowserState, BrowserAction, BrowserTaskSpec>({
    name: 'browser',
    version: '1',
    actionSchema: browserActionSchema as never,
    formatAction: formatBrowserAction,
    parseAction: parseBrowserAction,
    load(task) {
      const spec = task.spec;
      if (!spec || typeof spec.page !== 'string' || typeof spec.root !== 'string' || !Number.isInteger(spec.seed)) {
        throw new TaskError(`browser task ${task.id} needs { root, page, seed }`, { hint: 'load tasks with builtin:…, miniwob:<folder> or tasks:<file.json>' });
      }
      return loadBrowserProblem(task, taskRoot(spec), options);
    },
  });
  return env as BrowserEnvironment;
}

export const browserEnvironmentDefault = browserEnvironment();
