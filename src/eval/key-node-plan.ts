import { createHash } from 'node:crypto';
import type { Task } from '../core/environment.ts';
import { UsageError } from '../core/errors.ts';
import { deriveKeyNodes } from './derive.ts';
import { resolveKeyNodes, type ResolvedKeyNode } from './key-node.ts';
import type { SuiteTaskSet } from './suite.ts';

/** The key nodes of each task of a task set: derived ones first, then the set's, then the task's own. */
export function planKeyNodes(taskSet: SuiteTaskSet, tasks: readonly Task[]): Map<string, ResolvedKeyNode[]> {
  const ids = new Set(tasks.map((t) => t.id));
  const unknown = Object.keys(taskSet.keyNodes.byTask).filter((id) => !ids.has(id));
  if (unknown.length > 0) {
    throw new UsageError(`task set "${taskSet.name}" has key nodes for tasks it does not hold: ${unknown.join(', ')}`, {
      hint: `its tasks are ${[...ids].slice(0, 8).join(', ')}${ids.size > 8 ? ', …' : ''}`,
    });
  }
  const plan = new Map<string, ResolvedKeyNode[]>();
  for (const task of tasks) {
    const derived = taskSet.keyNodes.derive ? (deriveKeyNodes(task) ?? []) : [];
    const written = resolveKeyNodes([...taskSet.keyNodes.all, ...(taskSet.keyNodes.byTask[task.id] ?? [])]);
    const taken = new Set(derived.map((n) => n.id));
    // Hand-written ids that clash with derived ones get a prefix, so every id in a task is unique.
    plan.set(task.id, [...derived, ...written.map((n) => (taken.has(n.id) ? { ...n, id: `h-${n.id}` } : n))]);
  }
  return plan;
}

/** A hash of a task's key nodes: a stored evaluation is reused only when its nodes are the same. */
export function keyNodesHash(nodes: readonly ResolvedKeyNode[]): string {
  return createHash('sha256').update(JSON.stringify(nodes)).digest('hex').slice(0, 16);
}
