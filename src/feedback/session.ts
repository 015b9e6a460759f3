import type { Environment, Task } from '../core/environment.ts';
import { newRunId } from '../core/ids.ts';
import type { Candidate, ProposalBatch, Proposer } from '../core/step.ts';
import { runSearch, type RunResult } from '../search/run.ts';
import { defineStrategy } from '../search/strategy.ts';
import { isUsable, type ExpandedCandidate, type SearchTree, type TreeNode } from '../search/tree.ts';
import { createMemoryStore } from '../store/memory.ts';
import type { Store } from '../store/store.ts';
import { actionTopicOf, actionTypeOf } from './action-type.ts';
import type { JudgmentAnnotation, Person, SessionAnnotation, ShownAction, TurnAction, TurnAnnotation, TurnView } from './types.ts';

export interface FeedbackSessionOptions<S, A> {
  env: Environment<S, A>;
  tasks: readonly Task[];
  proposer: Proposer<S, A>;
  person: Person;
  /** Actions shown per turn (default 5). */
  k?: number;
  /** Turns per task at most (default 3). */
  maxTurns?: number;
  /** Groups sessions of many users, queries and days (default `default`). */
  study?: string;
  store?: Store;
  seed?: number;
  taskSpec?: string;
  runId?: string;
  signal?: AbortSignal;
  /** Called after each turn is recorded (progress, tests). */
  onTurn?: (turn: TurnAnnotation, taskId: string) => void;
}

export const FEEDBACK_PROPOSER_PREFIX = 'person+';

/** What the person decided at one node, kept until the strategy has executed the picks. */
interface PendingTurn {
  turn: number;
  view: TurnView;
  /** Candidate index (in the node's candidates) of each shown action, by screen position - 1. */
  shownIndexes: number[];
  /** Candidate index of the first custom action; the person's own follow. */
  customStart: number;
  customCount: number;
  picked: number[];
  stopped: boolean;
  shownAt: number;
  decidedAt: number;
}

/**
 * A feedback session: at each turn the proposer offers k actions, the person picks any number (or
 * writes their own), the picks are executed one after another, and the person judges each execution.
 * It is a search like any other, so the tree, candidates and checks are recorded as usual; what the
 * person saw, picked, wrote and judged is recorded as `feedback.*` annotations on that tree.
 */
export async function runFeedbackSession<S, A>(options: FeedbackSessionOptions<S, A>): Promise<RunResult> {
  const { env, person, proposer: base } = options;
  const k = options.k ?? 5;
  const maxTurns = options.maxTurns ?? 3;
  const study = options.study ?? 'default';
  const store = options.store ?? createMemoryStore();
  const runId = options.runId ?? newRunId();
  const pending = new Map<string, PendingTurn>();
  /** The rest of a selection, proposed again at the node the previous pick created. */
  const carried = new Map<string, Candidate<A>[]>();
  const turnsByTask = new Map<string, number>();
  /** Each task's loaded problem, seen by the proposer first, for rendering states to the person. */
  const problems = new Map<string, { render(state: any): string }>();

  const annotate = (taskId: string | null, nodeId: string | null, kind: string, data: unknown) =>
    store.append({ type: 'annotation', runId, taskId, nodeId, kind, key: '', data, createdAt: Date.now() });

  const proposer: Proposer<S, A> = {
    name: `${FEEDBACK_PROPOSER_PREFIX}${base.name}`,
    config: { base: base.name, ...(base.config ? { baseConfig: base.config } : {}), k, person: person.id },
    async propose(ctx): Promise<ProposalBatch<A>> {
      const rest = carried.get(ctx.nodeId);
      if (rest) {
        carried.delete(ctx.nodeId);
        return { candidates: rest, complete: false };
      }
      problems.set(ctx.task.id, ctx.problem);
      const proposed = await base.propose(ctx);
      const candidates = Array.isArray(proposed) ? proposed : proposed.candidates;
      const shownIndexes = candidates.flatMap((c, i) => (c.action !== null && !c.invalidReason ? [i] : [])).slice(0, k);
      const turn = (turnsByTask.get(ctx.task.id) ?? 0) + 1;
      turnsByTask.set(ctx.task.id, turn);
      const view: TurnView = {
        userId: person.id,
        taskId: ctx.task.id,
        turn,
        goal: ctx.problem.goalText,
        stateText: ctx.problem.render(ctx.state),
        shown: shownIndexes.map((ci, i) => ({
          position: i + 1,
          text: candidates[ci].text,
          actionType: actionTypeOf(candidates[ci].action, candidates[ci].text),
          topic: actionTopicOf(candidates[ci].action),
        })),
      };
      const shownAt = Date.now();
      const choice = await person.choose(view);
      const decidedAt = Date.now();
      const picked = [...new Set(choice.picked)].filter((p) => Number.isInteger(p) && p >= 1 && p <= shownIndexes.length);
      const custom = choice.custom.map((text) => text.trim()).filter(Boolean).map((text): Candidate<A> => {
        try {
          const action = env.parseAction(text);
          return { action, text: env.formatAction(action), proposer: `person:${person.id}` };
        } catch (error) {
          return { action: null, text, proposer: `person:${person.id}`, invalidReason: error instanceof Error ? error.message : String(error) };
        }
      });
      pending.set(ctx.nodeId, { turn, view, shownIndexes, customStart: candidates.length, customCount: custom.length, picked, stopped: choice.stop === true, shownAt, decidedAt });
      return { candidates: [...candidates, ...custom], complete: false };
    },
  };

  const strategy = defineStrategy({
    name: 'feedback',
    config: { k, maxTurns, person: person.id, study },
    async search<S2, A2>(tree: SearchTree<S2, A2>) {
      let node: TreeNode<S2, A2> = tree.root;
      node.selected = true;
      for (let t = 0; t < maxTurns && tree.expandable(node); t++) {
        const candidates = await tree.expand(node, k);
        const turn = pending.get(node.id);
        if (!turn) return;
        pending.delete(node.id);
        const actions: TurnAction[] = [
          ...turn.view.shown.map((shown, i) => turnAction(candidates[turn.shownIndexes[i]], shown, turn.picked.includes(shown.position), false)),
          ...candidates.slice(turn.customStart, turn.customStart + turn.customCount).map((c, i) =>
            turnAction(c, { position: turn.view.shown.length + i + 1, text: c.text, actionType: actionTypeOf(c.action, c.text), topic: actionTopicOf(c.action) }, true, true),
          ),
        ];
        const picks = actions.filter((a) => a.picked && a.invalidReason === null).map((a) => ({ action: a, candidate: candidates.find((c) => c.id === a.candidateId)! }));
        // Recorded however the selection ends, so a session cut off mid-judgment (Ctrl-C) keeps what was shown and picked.
        const record = (): TurnAnnotation => ({
          schema: 'feedback.turn/1',
          userId: person.id,
          study,
          turn: turn.turn,
          actions,
          stopped: turn.stopped,
          shownAt: turn.shownAt,
          decidedAt: turn.decidedAt,
          decisionMs: turn.decidedAt - turn.shownAt,
        });
        let end: TreeNode<S2, A2>;
        try {
          end = await executeSelection(tree, node, picks, turn);
        } catch (error) {
          annotate(tree.task.id, node.id, 'feedback.turn', record());
          throw error;
        }
        const done = record();
        annotate(tree.task.id, node.id, 'feedback.turn', done);
        options.onTurn?.(done, tree.task.id);
        if (turn.stopped || end === node) return;
        node = end;
        node.selected = true;
      }
    },
  });

  /** Executes the picks in order, each on the report the previous one left; returns the last node reached. */
  async function executeSelection<S2, A2>(
    tree: SearchTree<S2, A2>,
    turnNode: TreeNode<S2, A2>,
    picks: { action: TurnAction; candidate: ExpandedCandidate<S2, A2> }[],
    turn: PendingTurn,
  ): Promise<TreeNode<S2, A2>> {
    let at = turnNode;
    let remaining = picks;
    while (remaining.length > 0) {
      const [next, ...rest] = remaining;
      if (!isUsable(next.candidate)) {
        remaining = rest;
        continue;
      }
      const child = await tree.execute(at, next.candidate);
      next.action.executedNodeId = child.id;
      await judge(tree, at, child, next.action, turnNode.id, turn.turn);
      remaining = rest;
      const moved = child.check.valid && child.duplicateOf === null;
      if (!moved) continue;
      at = child;
      if (rest.length === 0 || !tree.expandable(child)) break;
      // The rest of the selection is proposed again where this pick left the report, and executed from there.
      carried.set(child.id, rest.map((r) => ({ action: r.candidate.action, text: r.candidate.text, proposer: r.candidate.proposer })) as Candidate<any>[]);
      const again = await tree.expand(child, rest.length);
      remaining = rest.map((r, i) => ({ action: r.action, candidate: again[i] }));
    }
    return at;
  }

  async function judge<S2, A2>(tree: SearchTree<S2, A2>, from: TreeNode<S2, A2>, child: TreeNode<S2, A2>, action: TurnAction, turnNodeId: string, turn: number) {
    const problem = problems.get(tree.task.id)!;
    const shownAt = Date.now();
    const judgment = await person.judge({
      userId: person.id,
      taskId: tree.task.id,
      turn,
      actionText: action.text,
      actionType: action.actionType,
      custom: action.custom,
      observation: child.observation,
      check: child.check,
      before: problem.render(from.state),
      after: problem.render(child.state),
    });
    const judgedAt = Date.now();
    const record: JudgmentAnnotation = {
      schema: 'feedback.judgment/1',
      userId: person.id,
      study,
      turn,
      turnNodeId,
      candidateId: action.candidateId,
      actionText: action.text,
      actionType: action.actionType,
      custom: action.custom,
      verdict: judgment.verdict,
      comment: judgment.comment?.trim() || null,
      check: child.check,
      shownAt,
      judgedAt,
      judgeMs: judgedAt - shownAt,
    };
    annotate(tree.task.id, child.id, 'feedback.judgment', record);
  }

  return runSearch({
    env,
    tasks: options.tasks,
    proposer,
    strategy,
    store,
    seed: options.seed,
    runId,
    taskSpec: options.taskSpec,
    signal: options.signal,
    tags: { feedback: 'session', user: person.id, study },
    onEvent(event) {
      if (event.type === 'run_start') {
        const session: SessionAnnotation = {
          schema: 'feedback.session/1',
          userId: person.id,
          study,
          profile: person.profile ?? null,
          k,
          maxTurns,
          proposer: base.name,
          startedAt: new Date().toISOString(),
        };
        annotate(null, null, 'feedback.session', session);
      }
    },
  });
}

function turnAction(candidate: ExpandedCandidate<any, any>, shown: ShownAction, picked: boolean, custom: boolean): TurnAction {
  return {
    position: shown.position,
    text: shown.text,
    actionType: shown.actionType,
    topic: shown.topic,
    candidateId: candidate.id,
    picked,
    custom,
    invalidReason: candidate.invalidReason ?? (candidate.action === null ? 'unparsable' : null),
    executedNodeId: null,
  };
}
