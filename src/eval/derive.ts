import type { Task } from '../core/environment.ts';
import { environments } from '../envs/registry.ts';
import type { ResolvedKeyNode } from './key-node.ts';

/**
 * Key nodes an environment knows from the task alone (its plug-in's `deriveKeyNodes`), or null when it knows none.
 * STRIPS: one per goal fact false at the start; Game of 24: one per step, a state from which 24 is still reachable.
 */
export function deriveKeyNodes(task: Task): ResolvedKeyNode[] | null {
  return environments.find(task.env)?.deriveKeyNodes?.(task) ?? null;
}
