import type { Environment, Problem, Task, Transition } from '../core/environment.ts';
import { isFatal, SearchStopped } from '../core/errors.ts';
import { attachmentId, candidateId, runOfNode } from '../core/ids.ts';
import { hashString, type Rng } from '../core/rng.ts';
import type {
  Candidate,
  ApprovalDecision,
  Guard,
  GuardRecord,
  ProposalBatch,
  Proposer,
  Scorer,
  StepContext,
  TrajectoryStep,
} from '../core/step.ts';
import type { Store } from '../store/store.ts';
import type { Budget } from './budget.ts';
import type { Limiter } from '../core/limiter.ts';
import { createCandidateScoring } from './candidate-scoring.ts';
import { growNode, isUsable, trajectoryTo, type ExpandedCandidate, type TreeNode } from './node.ts';
import { candidateRecordOf, guardAnnotationOf, nodeRecordOf } from './tree-records.ts';
import { borrowPath, type RecordedPath } from './borrowed-path.ts';
import { failedStep, LookaheadRefused } from '../worlds/failed-step.ts';
import type { WorldPool } from '../worlds/pool.ts';
import { positionOf, type RecordedSteps } from '../worlds/recorded-steps.ts';

export { isUsable, pathTo, trajectoryTo, type ExpandedCandidate, type TreeNode } from './node.ts';

/** Expansions between two turns given to the event loop (Ctrl-C, the store's flush timer). */
const EXPANSIONS_PER_TURN = 16;

export interface SearchTreeOptions<S, A> {
  runId: string;
  task: Task;
  env: Environment<S, A>;
  problem: Problem<S, A>;
  proposer: Proposer<S, A>;
  scorers: readonly { scorer: Scorer<S, A>; weight: number }[];
  guards: readonly Guard<S, A>[];
  budget: Budget;
  limiter: Limiter;
  store: Store;
  rng: Rng;
  /** Nodes at this depth are not expanded. */
  maxDepth: number;
  /** The id of the next new node (resumed runs skip the ids their record holds). */
  nextNodeId: () => string;
  /** Resume: the id the recorded run gave the node at this position (parent id, candidate index), reused instead of a new one. */
  recordedNodeId?: (parentId: string | null, candidateIndex: number | null) => string | undefined;
  /**
   * Fork: the recorded path from the task's root to the node to start from, with the candidates executed along it.
   * Those nodes are borrowed from their run (never recorded again); the last one is the search root.
   */
  prefix?: RecordedPath;
  /** Where a problem with side effects executes its steps (required for one, unless `recordedSteps` answers them). */
  worlds?: WorldPool<S, A>;
  /** Replay of a stateful run: each step's transition is read from the record at its position instead of acting again. */
  recordedSteps?: RecordedSteps<S>;
  /** A person's decisions on candidates held for approval, by held candidate id (a run resumed after `stepwise approve`). */
  approvals?: ReadonlyMap<string, ApprovalDecision>;
  signal: AbortSignal;
}

/**
 * The engine's one tree: strategies call `expand` (propose → guard → score) and `execute`
 * (env.step → record). Every node and candidate is appended to the store as it is made.
 */
export interface SearchTree<S = unknown, A = unknown> {
  readonly root: TreeNode<S, A>;
  readonly nodes: readonly TreeNode<S, A>[];
  readonly task: Task;
  readonly rng: Rng;
  readonly maxDepth: number;
  readonly budget: Budget;
  readonly limiter: Limiter;
  /** Why the search must stop (a budget or a guard), or null. */
  readonly stopReason: string | null;
  /** True when the node may be expanded: valid, not terminal, not a transposition, above the depth limit. */
  expandable(node: TreeNode<S, A>): boolean;
  expand(node: TreeNode<S, A>, k?: number): Promise<ExpandedCandidate<S, A>[]>;
  execute(node: TreeNode<S, A>, candidate: ExpandedCandidate<S, A>): Promise<TreeNode<S, A>>;
  /** Expands `node` and executes every usable candidate; returns the new children. */
  expandAll(node: TreeNode<S, A>, k?: number): Promise<TreeNode<S, A>[]>;
  /** The shallowest successful node found so far. */
  solution(): TreeNode<S, A> | null;
  /** True when every reachable state was visited: no proposer held actions back, nothing was cut. */
  exhausted(): boolean;
  /** Throws SearchStopped when a budget is reached. Strategies call it between their own steps. */
  checkBudget(): void;
  /** Resolves once no expansion or execution is in flight (after a strategy stopped early). */
  settle(): Promise<void>;
  /** Adds a candidate to `node` from outside the proposer (a fork's given action); it is validated, guarded and recorded, not scored. */
  addCandidate(node: TreeNode<S, A>, candidate: Candidate<A>): Promise<ExpandedCandidate<S, A>>;
  /** The same tree, searched from `node` on (a fork continues below the node it branched from). */
  withRoot(node: TreeNode<S, A>): SearchTree<S, A>;
  /** True for nodes this run made and recorded; false for nodes a fork borrows from its origin. */
  owns(node: TreeNode<S, A>): boolean;
  /** Candidates a guard held for a person that no decision has answered yet. */
  pendingApprovals(): number;
}

export function createSearchTree<S, A>(options: SearchTreeOptions<S, A>): SearchTree<S, A> {
  const { runId, task, env, problem, proposer, scorers, guards, budget, limiter, store, rng, maxDepth, signal } =
    options;
  const nodes: TreeNode<S, A>[] = [];
  const firstByKey = new Map<string, TreeNode<S, A>>();
  const incompleteProposals = new Set<TreeNode<S, A>>();
  const lookaheads = new WeakMap<Candidate<A>, Promise<Transition<S>>>();
  const expanding = new Map<TreeNode<S, A>, Promise<ExpandedCandidate<S, A>[]>>();
  const executing = new WeakMap<ExpandedCandidate<S, A>, Promise<TreeNode<S, A>>>();
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    const forget = () => inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  };
  // Each node's random stream is derived from its position in the tree, not its run-specific id, so a seed replays exactly.
  // Computed on first use: most proposers never draw.
  const positionHashes = new WeakMap<TreeNode<S, A>, number>();
  const positionHash = (node: TreeNode<S, A>): number => {
    const unhashed: TreeNode<S, A>[] = [];
    let n: TreeNode<S, A> | null = node;
    for (; n && !positionHashes.has(n); n = n.parent) unhashed.push(n);
    let hash = n ? positionHashes.get(n)! : 0;
    for (let i = unhashed.length - 1; i >= 0; i--) {
      const at = unhashed[i];
      hash = at.parent ? hashString(`${hash}/${at.candidate?.index}`) : 0;
      positionHashes.set(at, hash);
    }
    return hash;
  };
  const scoring = createCandidateScoring<S, A>(scorers, limiter);
  let stopReason: string | null = null;
  let expansionsSinceTurn = 0;
  let firstSuccess: TreeNode<S, A> | null = null;

  const makeNode = (
    parent: TreeNode<S, A> | null,
    candidate: ExpandedCandidate<S, A> | null,
    transition: Transition<S>,
  ): TreeNode<S, A> => {
    const id = options.recordedNodeId?.(parent?.id ?? null, candidate?.index ?? null) ?? options.nextNodeId();
    const stateKey = problem.stateKey(transition.state);
    const known = transition.check.valid ? firstByKey.get(stateKey) : undefined;
    const node = growNode<S, A>({
      id,
      parent,
      depth: parent ? parent.depth + 1 : 0,
      action: candidate?.action ?? null,
      actionText: candidate?.text ?? null,
      candidate,
      state: transition.state,
      stateKey,
      observation: transition.observation,
      reward: transition.reward,
      check: transition.check,
      terminal: transition.done,
      success: transition.success && transition.check.valid,
      duplicateOf: known ?? null,
      value: candidate?.value ?? valueAfterStep(transition),
    });
    if (transition.check.valid && !known) firstByKey.set(stateKey, node);
    if (node.success && (!firstSuccess || node.depth < firstSuccess.depth)) firstSuccess = node;
    nodes.push(node);
    store.append(nodeRecordOf(runId, task.id, node));
    return node;
  };

  // A side-effecting step cannot be scored before it runs (no lookahead), so its node takes the problem's heuristic
  // on the state it reached, the value the heuristic scorer gives a pure step's candidate: strategies rank them alike.
  const valueAfterStep = (transition: Transition<S>): number | null => {
    if (problem.sideEffects !== true || !problem.heuristic) return null;
    if (!transition.check.valid) return 0;
    return transition.success ? 1 : problem.heuristic(transition.state);
  };

  const borrowed = (node: TreeNode<S, A>) => {
    if (!firstByKey.has(node.stateKey)) firstByKey.set(node.stateKey, node);
  };
  const root = options.prefix
    ? borrowPath<S, A>(options.prefix, borrowed)
    : makeNode(null, null, {
        state: problem.initialState,
        observation: problem.render(problem.initialState),
        reward: 0,
        done: false,
        success: false,
        check: { valid: true },
      });
  if (options.prefix) nodes.push(root);
  const owns = (node: TreeNode<S, A>) => runOfNode(node.id) === runId;

  // Trajectory and rng are built on first use: most proposers never read them, and deep trees make them costly.
  const contextFor = <X extends object>(node: TreeNode<S, A>, extra: X): StepContext<S, A> & X => {
    let trajectory: TrajectoryStep<A>[] | undefined;
    let nodeRng: Rng | undefined;
    return {
      ...extra,
      runId,
      env,
      problem,
      task,
      nodeId: node.id,
      depth: node.depth,
      state: node.state,
      get trajectory() {
        trajectory ??= trajectoryTo(node);
        return trajectory;
      },
      get rng() {
        nodeRng ??= rng.fork(String(positionHash(node)));
        return nodeRng;
      },
      signal,
      charge,
    };
  };

  const charge = (usage: { modelCalls?: number; tokens?: number }) => {
    if (usage.modelCalls) budget.charge('modelCalls', usage.modelCalls);
    if (usage.tokens) budget.charge('tokens', usage.tokens);
  };

  const stateful = problem.sideEffects === true;
  if (stateful && !options.worlds && !options.recordedSteps) {
    throw new Error(`environment ${env.name} has side effects: its search tree needs a world pool or recorded steps`);
  }

  const lookahead = (node: TreeNode<S, A>, candidate: Candidate<A>): Promise<Transition<S>> => {
    // Looking ahead would act on a real world; a stateful step is executed once, in execute().
    if (stateful) return Promise.reject(new LookaheadRefused(env.name));
    let pending = lookaheads.get(candidate);
    if (!pending) {
      if (candidate.action === null) throw new Error(`candidate "${candidate.text}" has no action to execute`);
      pending = Promise.resolve(problem.step(node.state, candidate.action, contextFor(node, {})));
      lookaheads.set(candidate, pending);
    }
    return pending;
  };

  /** A side-effecting step: read from the record (replay), else executed once in a world positioned at `node`. */
  const executeStateful = async (node: TreeNode<S, A>, candidate: ExpandedCandidate<S, A>): Promise<TreeNode<S, A>> => {
    if (options.recordedSteps) {
      const position = `${positionOf(node, owns)}/${candidate.index}`;
      const recorded = options.recordedSteps(position);
      const transition = recorded ?? failedStep(node.state, new Error(`the record has no step at position ${position}`), 'not replayed');
      return makeNode(node, candidate, transition);
    }
    return options.worlds!.execute(node, candidate.action as A, contextFor(node, {}), (transition) => makeNode(node, candidate, transition));
  };

  const checkBudget = () => {
    if (stopReason) throw new SearchStopped(stopReason);
    if (signal.aborted) stopReason = 'interrupted';
    else stopReason = budget.exceeded();
    if (stopReason) throw new SearchStopped(stopReason);
  };

  const propose = async (node: TreeNode<S, A>, k: number): Promise<ProposalBatch<A>> => {
    try {
      const ctx = contextFor(node, { k });
      const proposed = await (proposer.local ? proposer.propose(ctx) : limiter.run(() => proposer.propose(ctx)));
      return Array.isArray(proposed) ? { candidates: proposed } : proposed;
    } catch (error) {
      if (error instanceof SearchStopped || isFatal(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return { candidates: [{ action: null, text: '', proposer: proposer.name, invalidReason: `proposer failed: ${message}` }] };
    }
  };

  const validate = (candidate: Candidate<A>): Candidate<A> => {
    if (candidate.action === null || candidate.invalidReason) return candidate;
    const parsed = env.actionSchema.safeParse(candidate.action);
    if (parsed.success) return candidate;
    const problemText = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'action'}: ${issue.message}`).join('; ');
    return { ...candidate, invalidReason: `not a valid ${env.name} action (${problemText})` };
  };

  // The guards in chain order: the first that does not allow decides; a rewrite hands the new action to the next guard.
  const guard = async (ctx: StepContext<S, A>, proposed: Candidate<A>): Promise<Candidate<A>> => {
    let candidate = proposed;
    if (candidate.action === null || candidate.invalidReason) return candidate;
    const decided = (record: GuardRecord, invalidReason?: string): Candidate<A> => ({
      ...candidate,
      guardDecisions: [...(candidate.guardDecisions ?? []), record],
      ...(invalidReason ? { invalidReason } : {}),
    });
    for (const g of guards) {
      const verdict = await g.check(ctx, candidate);
      switch (verdict.decision) {
        case 'allow':
          continue;
        case 'deny':
          return decided({ guard: g.name, decision: 'deny', reason: verdict.reason }, `denied by guard ${g.name}: ${verdict.reason}`);
        case 'ask':
          return decided({ guard: g.name, decision: 'ask', reason: verdict.reason }, `awaiting approval (guard ${g.name}): ${verdict.reason}`);
        case 'stop':
          stopReason = `guard ${g.name}: ${verdict.reason}`;
          return decided({ guard: g.name, decision: 'stop', reason: verdict.reason }, `run stopped by guard ${g.name}: ${verdict.reason}`);
        case 'rewrite': {
          const original = candidate.text;
          candidate = decided({ guard: g.name, decision: 'rewrite', reason: verdict.reason, original });
          candidate = validate({ ...candidate, action: verdict.action, text: env.formatAction(verdict.action) });
          if (candidate.invalidReason) return { ...candidate, invalidReason: `guard ${g.name} rewrote it into an invalid action: ${candidate.invalidReason}` };
        }
      }
    }
    return candidate;
  };

  const doExpand = async (node: TreeNode<S, A>, k: number): Promise<ExpandedCandidate<S, A>[]> => {
    // An offline search runs on promise callbacks alone; give the event loop a turn now and then so
    // Ctrl-C (an abort signal) and the store's flush timer are not starved.
    // Counted, not timed: a turn at a moment set by the clock would reorder parallel simulations, and a seed must replay exactly.
    if (++expansionsSinceTurn >= EXPANSIONS_PER_TURN) {
      await new Promise((resolve) => setImmediate(resolve));
      expansionsSinceTurn = 0;
    }
    checkBudget();
    budget.charge('expansions');
    const batch = await propose(node, k);
    if (batch.complete !== true) incompleteProposals.add(node);
    const checked: Candidate<A>[] = [];
    if (guards.length === 0) checked.push(...batch.candidates.map(validate));
    else {
      const ctx = contextFor(node, {});
      for (const proposed of batch.candidates) checked.push(await guard(ctx, validate(proposed)));
    }
    checked.push(...answeredApprovals(node, checked));
    const usable = checked.filter(isUsable);
    const scores = await scoring.score(usable, () => contextFor(node, { lookahead: (candidate: Candidate<A>) => lookahead(node, candidate) }));
    const idPrefix = attachmentId(runId, node.id);
    let at = 0;
    const expanded = checked.map((candidate, index): ExpandedCandidate<S, A> => {
      // `usable` keeps the order of `checked`, so the usable ones take their scores in turn.
      const candidateScores = isUsable(candidate) ? scores[at++] : [];
      return {
        ...candidate,
        id: candidateId(idPrefix, index),
        index,
        scores: candidateScores,
        value: scoring.combine(candidateScores),
        child: null,
      };
    });
    // Reuse lookaheads computed by scorers when the candidate is executed; only the expanded candidate keeps one.
    expanded.forEach((ec, i) => {
      const memo = lookaheads.get(checked[i]);
      if (memo) {
        lookaheads.set(ec, memo);
        lookaheads.delete(checked[i]);
      }
    });
    for (const ec of expanded) recordCandidate(node, ec);
    node.candidates = expanded;
    if (stopReason) throw new SearchStopped(stopReason);
    return expanded;
  };

  const heldForApproval = new Set<string>();
  /**
   * Candidates a person approved or edited join the node as new candidates after the proposed ones (so recorded
   * ids keep their meaning); a held one without a decision stays pending, one rejected stays refused.
   */
  const answeredApprovals = (node: TreeNode<S, A>, checked: readonly Candidate<A>[]): Candidate<A>[] => {
    const idPrefix = attachmentId(runId, node.id);
    const added: Candidate<A>[] = [];
    checked.forEach((candidate, index) => {
      if (!candidate.guardDecisions?.some((d) => d.decision === 'ask')) return;
      const heldId = candidateId(idPrefix, index);
      const answer = options.approvals?.get(heldId);
      if (!answer) {
        heldForApproval.add(heldId);
        return;
      }
      if (answer.verdict === 'reject') return;
      let action = candidate.action as A;
      let guardDecisions: GuardRecord[] | undefined;
      if (answer.verdict === 'edit') {
        try {
          action = env.parseAction(answer.actionText ?? '');
        } catch (error) {
          added.push({ action: null, text: answer.actionText ?? '', proposer: `approval:${answer.by}`, invalidReason: `the edited action does not parse: ${error instanceof Error ? error.message : String(error)}` });
          return;
        }
        guardDecisions = [{ guard: `approval:${answer.by}`, decision: 'rewrite', reason: answer.reason ?? 'edited by a person', original: candidate.text }];
      }
      added.push(validate({ action, text: env.formatAction(action), proposer: `approval:${answer.by}`, ...(guardDecisions ? { guardDecisions } : {}) }));
    });
    return added;
  };

  const recordCandidate = (node: TreeNode<S, A>, ec: ExpandedCandidate<S, A>) => {
    store.append(candidateRecordOf(runId, task.id, node.id, ec));
    if (ec.guardDecisions?.length) store.append(guardAnnotationOf(runId, task.id, node.id, ec));
  };

  const tree: SearchTree<S, A> = {
    root,
    nodes,
    task,
    rng,
    maxDepth,
    budget,
    limiter,
    get stopReason() {
      return stopReason;
    },
    expandable: (node) =>
      node.check.valid && !node.terminal && node.duplicateOf === null && node.depth < maxDepth,
    expand(node, k = Infinity) {
      if (node.candidates) return Promise.resolve(node.candidates);
      let pending = expanding.get(node);
      if (!pending) {
        if (!tree.expandable(node)) return Promise.resolve([]);
        pending = track(doExpand(node, k).finally(() => expanding.delete(node)));
        expanding.set(node, pending);
      }
      return pending;
    },
    execute(node, candidate) {
      if (candidate.child) return Promise.resolve(candidate.child);
      let pending = executing.get(candidate);
      if (!pending) {
        const adopt = (child: TreeNode<S, A>) => {
          candidate.child = child;
          // The child now answers for the candidate; the transition and pending entry are no longer needed.
          executing.delete(candidate);
          lookaheads.delete(candidate);
          return child;
        };
        pending = track((stateful ? executeStateful(node, candidate) : lookahead(node, candidate).then((t) => makeNode(node, candidate, t))).then(adopt));
        executing.set(candidate, pending);
      }
      return pending;
    },
    async expandAll(node, k) {
      const candidates = await tree.expand(node, k);
      const usable = candidates.filter(isUsable);
      return Promise.all(usable.map((c) => tree.execute(node, c)));
    },
    solution: () => firstSuccess,
    exhausted() {
      if (incompleteProposals.size > 0) return false;
      for (const node of nodes) {
        if (!node.check.valid || node.terminal || node.duplicateOf) continue;
        if (!node.candidates) return false;
        if (node.candidates.some((c) => isUsable(c) && !c.child)) return false;
      }
      return true;
    },
    checkBudget,
    async settle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async addCandidate(node, candidate) {
      const checked = await guard(contextFor(node, {}), validate(candidate));
      const index = node.candidates?.length ?? 0;
      const ec: ExpandedCandidate<S, A> = { ...checked, id: candidateId(attachmentId(runId, node.id), index), index, scores: [], value: null, child: null };
      recordCandidate(node, ec);
      node.candidates = [...(node.candidates ?? []), ec];
      return ec;
    },
    withRoot(node) {
      return Object.create(tree, { root: { value: node, enumerable: true } }) as SearchTree<S, A>;
    },
    owns,
    pendingApprovals: () => heldForApproval.size,
  };
  return tree;
}
