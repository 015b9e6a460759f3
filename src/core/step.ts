import type { Environment, MaybePromise, Problem, StepCheck, Task, Transition } from './environment.ts';
import type { Rng } from './rng.ts';

/** One proposed next action. `action` is null when the proposal could not be read as an action. */
export interface Candidate<A = unknown> {
  action: A | null;
  /** The action as text: the environment's canonical form, or a model's raw text when unparsable. */
  text: string;
  /** Name of the proposer that produced it. */
  proposer: string;
  /** Prior probability from the proposer (PUCT uses it); absent means uniform. */
  prior?: number;
  /** Why the candidate is not usable (unparsable, illegal, denied by a guard). */
  invalidReason?: string;
  /** What guards decided about it other than allow, in chain order. */
  guardDecisions?: GuardRecord[];
}

/** What a proposer may return: candidates, and whether they are every legal action (lets exhaustive search prove unsolvability). */
export interface ProposalBatch<A = unknown> {
  candidates: Candidate<A>[];
  complete?: boolean;
}

/** One step already taken on the path from the root, for prompts and guards. */
export interface TrajectoryStep<A = unknown> {
  action: A;
  actionText: string;
  observation: string;
  check: StepCheck;
}

/** Everything a proposer, scorer or guard may look at when deciding about the next step. */
export interface StepContext<S = unknown, A = unknown> {
  /** The run this step belongs to (model calls are recorded against it). */
  runId: string;
  env: Environment<S, A>;
  problem: Problem<S, A>;
  task: Task;
  /** Id of the node the step starts from. */
  nodeId: string;
  depth: number;
  state: S;
  /** The steps from the root to this node. */
  trajectory: readonly TrajectoryStep<A>[];
  /** Seeded for this node: the same seed gives the same draws. */
  rng: Rng;
  /** Aborted when the run stops (budget, Ctrl-C); long calls should give up. */
  signal: AbortSignal;
  /** Charges model calls and tokens to the task's budget; model clients call it for every request sent. */
  charge(usage: { modelCalls?: number; tokens?: number }): void;
}

export interface ProposeContext<S = unknown, A = unknown> extends StepContext<S, A> {
  /** How many candidates the strategy asks for; `Infinity` means all there are. */
  k: number;
}

export interface ScoreContext<S = unknown, A = unknown> extends StepContext<S, A> {
  /** The transition a candidate would cause, computed once and reused when the candidate is executed. */
  lookahead(candidate: Candidate<A>): Promise<Transition<S>>;
}

export interface Proposer<S = unknown, A = unknown> {
  readonly name: string;
  readonly config?: Record<string, unknown>;
  /** Runs in-process without I/O (an enumerator, a script): called without taking one of the run's concurrency slots. */
  readonly local?: boolean;
  propose(ctx: ProposeContext<S, A>): MaybePromise<Candidate<A>[] | ProposalBatch<A>>;
}

/** Returns one value in [0, 1] per candidate (higher is better), or null where it has no opinion. */
export interface Scorer<S = unknown, A = unknown> {
  readonly name: string;
  /** Recorded with the run (e.g. a judge's template hash and sample count). */
  readonly config?: Record<string, unknown>;
  /** Runs in-process without I/O (a heuristic, a verifier): called without taking one of the run's concurrency slots. */
  readonly local?: boolean;
  score(ctx: ScoreContext<S, A>, candidates: readonly Candidate<A>[]): MaybePromise<(number | null)[]>;
}

/**
 * A guard's verdict on one candidate. `rewrite` replaces the action (it is validated again and the next
 * guards see the new one); `ask` holds the candidate for a person (it is not executed; recorded as
 * awaiting approval); `stop` ends the task's search.
 */
export type GuardDecision<A = unknown> =
  | { decision: 'allow' }
  | { decision: 'deny'; reason: string }
  | { decision: 'rewrite'; action: A; reason: string }
  | { decision: 'ask'; reason: string }
  | { decision: 'stop'; reason: string };

/** Sees the whole trajectory and a candidate before it runs. */
export interface Guard<S = unknown, A = unknown> {
  readonly name: string;
  /** Recorded with the run (a policy's hash, a judge's model and template). */
  readonly config?: Record<string, unknown>;
  check(ctx: StepContext<S, A>, candidate: Candidate<A>): MaybePromise<GuardDecision<A>>;
}

/** One guard's non-allow decision on a candidate, as recorded (annotation kind `guard`, keyed by candidate id). */
export interface GuardRecord {
  guard: string;
  decision: Exclude<GuardDecision['decision'], 'allow'>;
  reason: string;
  /** For a rewrite: the action text before it. */
  original?: string;
}

export function defineProposer<S, A>(proposer: Proposer<S, A>): Proposer<S, A> {
  return proposer;
}

export function defineScorer<S, A>(scorer: Scorer<S, A>): Scorer<S, A> {
  return scorer;
}

export function defineGuard<S, A>(guard: Guard<S, A>): Guard<S, A> {
  return guard;
}

/** A person's answer to a candidate a guard held for approval (annotation kind `approval`, keyed by the held candidate's id). */
export interface ApprovalDecision {
  verdict: 'approve' | 'reject' | 'edit';
  /** Why, for a rejection (shown to the agent's record) or an edit. */
  reason?: string;
  /** The edited action in the environment's text form (verdict `edit`). */
  actionText?: string;
  /** Who decided (a name, or `terminal`/`web`). */
  by: string;
  at: string;
}
