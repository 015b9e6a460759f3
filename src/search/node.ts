import type { StepCheck } from '../core/environment.ts';
import type { Candidate, TrajectoryStep } from '../core/step.ts';
import type { ScoreRecord } from '../store/records.ts';

/** A candidate after the proposer, guards and scorers have seen it. */
export interface ExpandedCandidate<S = unknown, A = unknown> extends Candidate<A> {
  readonly id: string;
  readonly index: number;
  readonly scores: ScoreRecord[];
  /** Weighted mean of the scores; null when no scorer gave a value. */
  readonly value: number | null;
  /** The node this candidate led to, once executed. */
  child: TreeNode<S, A> | null;
}

/** A node of the in-memory search tree. Search statistics are owned by the strategy. */
export interface TreeNode<S = unknown, A = unknown> {
  readonly id: string;
  readonly parent: TreeNode<S, A> | null;
  readonly depth: number;
  readonly action: A | null;
  readonly actionText: string | null;
  readonly candidate: ExpandedCandidate<S, A> | null;
  readonly state: S;
  readonly stateKey: string;
  readonly observation: string;
  readonly reward: number;
  readonly check: StepCheck;
  readonly terminal: boolean;
  readonly success: boolean;
  /** The node that reached the same state first, when this one is a transposition. */
  readonly duplicateOf: TreeNode<S, A> | null;
  /** The scorers' value of the action that led here (null at the root). */
  readonly value: number | null;
  readonly children: TreeNode<S, A>[];
  candidates: ExpandedCandidate<S, A>[] | null;
  visits: number;
  valueSum: number;
  virtualLoss: number;
  selected: boolean;
  pruned: string | null;
}

/** What a new node takes from the step that made it; the search statistics start empty. */
export type NodeStep<S = unknown, A = unknown> = Omit<
  TreeNode<S, A>,
  'children' | 'candidates' | 'visits' | 'valueSum' | 'virtualLoss' | 'selected' | 'pruned'
>;

/** A new node with empty search statistics, linked into its parent's children. */
export function growNode<S, A>(step: NodeStep<S, A>): TreeNode<S, A> {
  const node: TreeNode<S, A> = {
    ...step,
    children: [],
    candidates: null,
    visits: 0,
    valueSum: 0,
    virtualLoss: 0,
    selected: false,
    pruned: null,
  };
  step.parent?.children.push(node);
  return node;
}

/** True when a candidate can be executed: it has an action and nothing ruled it out. */
export function isUsable<A>(candidate: Candidate<A>): boolean {
  return candidate.action !== null && !candidate.invalidReason;
}

/** The steps from the root to `node`, oldest first. */
export function trajectoryTo<S, A>(node: TreeNode<S, A>): TrajectoryStep<A>[] {
  const steps: TrajectoryStep<A>[] = [];
  for (let n: TreeNode<S, A> | null = node; n?.parent; n = n.parent) {
    steps.push({ action: n.action as A, actionText: n.actionText ?? '', observation: n.observation, check: n.check });
  }
  return steps.reverse();
}

/** Nodes from the root to `node`, inclusive. */
export function pathTo<S, A>(node: TreeNode<S, A>): TreeNode<S, A>[] {
  const path: TreeNode<S, A>[] = [];
  for (let n: TreeNode<S, A> | null = node; n; n = n.parent) path.push(n);
  return path.reverse();
}
