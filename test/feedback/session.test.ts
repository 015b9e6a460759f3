import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadReportTasks, reportEnvironment, reportProposer } from '../../src/envs/report/index.ts';
import { game24Environment } from '../../src/envs/game24/index.ts';
import { definePerson, type Choice, type ExecutionView, type Judgment, type TurnView } from '../../src/feedback/types.ts';
import { runFeedbackSession } from '../../src/feedback/session.ts';
import { collectFeedback, feedbackRuns } from '../../src/feedback/records.ts';
import { feedbackStats } from '../../src/feedback/stats.ts';
import type { JudgmentAnnotation, TurnAnnotation } from '../../src/feedback/types.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { scriptedProposer } from '../../src/propose/scripted.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const PAPERS = '../shared/data/papers/intermediate-actions.jsonl';

/** A person who answers from scripts and remembers what they were shown. */
function scriptedPerson(id: string, choices: Choice[], verdicts: Judgment[]) {
  const seen: TurnView[] = [];
  const judged: ExecutionView[] = [];
  const person = definePerson({
    id,
    profile: 'cares about datasets',
    async choose(view) {
      seen.push(view);
      return choices.shift() ?? { picked: [], custom: [], stop: true };
    },
    async judge(view) {
      judged.push(view);
      return verdicts.shift() ?? { verdict: 'applied' };
    },
  });
  return { person, seen, judged };
}

test('a report session records what was shown in order, the picks, the person\'s own action and each judgment', { skip: NEEDS_SHARED_DATA }, async () => {
  const store = createMemoryStore();
  const { person, seen, judged } = scriptedPerson(
    'ana',
    [{ picked: [2, 1], custom: ['Add a section on datasets'] }, { picked: [], custom: [], stop: true }],
    [{ verdict: 'applied' }, { verdict: 'partly', comment: 'thin' }, { verdict: 'not_applied' }],
  );
  const result = await runFeedbackSession({
    env: reportEnvironment(),
    tasks: loadReportTasks(`${PAPERS}#which intermediate actions do users want?`),
    proposer: reportProposer(),
    person,
    k: 4,
    maxTurns: 3,
    study: 'pilot',
    store,
  });
  assert.equal(seen.length, 2, 'a second turn is offered from the edited report, then the person stops');
  assert.equal(seen[0].shown.length, 4);
  assert.equal(judged.length, 3, 'both picks and the own action were executed and judged');

  const turns = await store.getAnnotations(result.runId, { kind: 'feedback.turn' });
  const first = turns[0].data as TurnAnnotation;
  assert.deepEqual(first.actions.map((a) => a.text), [...seen[0].shown.map((s) => s.text), 'Add a section on datasets']);
  assert.deepEqual(first.actions.map((a) => a.picked), [true, true, false, false, true]);
  assert.deepEqual(first.actions.map((a) => a.custom), [false, false, false, false, true]);
  const tree = await store.getTree(result.runId, 'q1');
  const nodeOf = (id: string | null) => tree.nodes.find((n) => n.id === id)!;
  // Picks run in screen order, each on the report the previous one left.
  const [a, b, own] = [first.actions[0], first.actions[1], first.actions[4]].map((x) => nodeOf(x.executedNodeId));
  assert.equal(a.parentId, tree.nodes[0].id);
  assert.equal(b.parentId, a.id);
  assert.equal(own.parentId, b.id);
  assert.equal(turns[1].nodeId, own.id, 'the next turn starts where the selection left the report');

  const judgments = await store.getAnnotations(result.runId, { kind: 'feedback.judgment' });
  assert.deepEqual(judgments.map((j) => j.nodeId), [a.id, b.id, own.id]);
  assert.deepEqual(judgments.map((j) => (j.data as JudgmentAnnotation).verdict), ['applied', 'partly', 'not_applied']);
  assert.equal((judgments[1].data as JudgmentAnnotation).comment, 'thin');

  const runs = await feedbackRuns(store, { study: 'pilot' });
  assert.deepEqual(runs.map((r) => r.tags?.user), ['ana']);
  const records = await collectFeedback(store, runs);
  assert.equal(records.preferences.length, 5 + 4);
  assert.equal(records.judgments.length, 3);
  const stats = feedbackStats(records);
  assert.equal(stats.overall.shown, 8);
  assert.equal(stats.overall.picked, 2);
  assert.equal(stats.overall.custom, 1);
  assert.equal(stats.overall.successRate, 1 / 3);
  assert.equal(stats.byUser[0].group, 'ana');
});

test('a pick that fails leaves the selection going from the same report; an unparsable own action is recorded, not executed', { skip: NEEDS_SHARED_DATA }, async () => {
  const store = createMemoryStore();
  const { person, judged } = scriptedPerson('bo', [{ picked: [1, 2, 3], custom: [] }], []);
  const result = await runFeedbackSession({
    env: reportEnvironment(),
    tasks: loadReportTasks(`${PAPERS}#which intermediate actions do users want?`),
    proposer: scriptedProposer(['Remove the section "Methods"', 'Expand "Methods" with datasets', 'Add a section on limitations']),
    person,
    k: 3,
    maxTurns: 1,
    store,
  });
  assert.deepEqual(judged.map((j) => j.check.valid), [true, false, true]);
  const tree = await store.getTree(result.runId, 'q1');
  const turn = (await store.getAnnotations(result.runId, { kind: 'feedback.turn' }))[0].data as TurnAnnotation;
  const [removed, failed, added] = turn.actions.map((a) => tree.nodes.find((n) => n.id === a.executedNodeId)!);
  assert.equal(failed.parentId, removed.id);
  assert.equal(added.parentId, removed.id, 'the third pick runs on the report the failed one left unchanged');

  const game = scriptedPerson('cy', [{ picked: [1], custom: ['not a step'] }], []);
  const gameRun = await runFeedbackSession({
    env: game24Environment,
    tasks: [{ id: 'g', env: 'game24', source: 'test', spec: { numbers: [4, 4, 6, 8] } }],
    proposer: enumerateProposer(),
    person: game.person,
    k: 3,
    maxTurns: 1,
    store,
  });
  const gameTurn = (await store.getAnnotations(gameRun.runId, { kind: 'feedback.turn' }))[0].data as TurnAnnotation;
  const own = gameTurn.actions.at(-1)!;
  assert.equal(own.custom, true);
  assert.ok(own.invalidReason);
  assert.equal(own.executedNodeId, null);
  assert.equal(game.judged.length, 1);
});
