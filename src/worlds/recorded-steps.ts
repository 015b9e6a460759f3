import type { Transition } from '../core/environment.ts';
import type { StoredTree } from '../store/store.ts';
import { candidateIndexOf } from '../replay/recorded-run.ts';
import type { TreeNode } from '../search/node.ts';

/** Recorded transitions by tree position, for a replay that reads a stateful run's observations instead of acting again. */
export type RecordedSteps<S = unknown> = (position: string) => Transition<S> | undefined;

/**
 * A node's position, independent of run-specific ids: `root`, or the id of a node the run borrowed (a fork's
 * shared path), followed by the candidate index of every step below it.
 */
export function positionOf(node: TreeNode<any, any>, owns: (node: TreeNode<any, any>) => boolean): string {
  const indices: number[] = [];
  let at: TreeNode<any, any> = node;
  for (; at.parent && owns(at); at = at.parent) indices.push(at.candidate?.index ?? -1);
  const start = at.parent === null && owns(at) ? 'root' : at.id;
  return [start, ...indices.reverse()].join('/');
}

/** The recorded tree's transitions, by the position of the node each made. */
export function recordedStepsOf<S>(tree: StoredTree): RecordedSteps<S> {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const positions = new Map<string, string>();
  const position = (id: string): string => {
    let known = positions.get(id);
    if (known === undefined) {
      const node = byId.get(id);
      // A parent outside the tree is a node the run borrowed; the task's root is `root`.
      if (!node) known = id;
      else if (node.parentId === null) known = 'root';
      else known = `${position(node.parentId)}/${candidateIndexOf(node.candidateId)}`;
      positions.set(id, known);
    }
    return known;
  };
  const steps = new Map<string, Transition<S>>();
  for (const node of tree.nodes) {
    if (node.parentId === null) continue;
    steps.set(position(node.id), {
      state: node.state as S,
      observation: node.observation,
      reward: node.reward,
      done: node.terminal,
      success: node.success,
      check: node.check,
    });
  }
  return (at) => steps.get(at);
}
