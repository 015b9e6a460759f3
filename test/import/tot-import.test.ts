import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { computeCredit } from '../../src/credit/compute.ts';
import { loadTotCsv } from '../../src/envs/game24/tot-csv.ts';
import { importBfsEntry, importCotEntry } from '../../src/import/tot-import.ts';
import { parseTotLog } from '../../src/import/tot-log.ts';
import { writeImportedRun } from '../../src/import/tot-records.ts';
import { totImportReport } from '../../src/import/tot-report.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { TOT_CSV, TOT_DATA } from '../envs/game24/data.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const read = (name: string) => JSON.parse(readFileSync(join(TOT_DATA, name), 'utf8'));
// Without the data the tests that use these skip; the empty placeholders are never read.
const bfsLog = (NEEDS_SHARED_DATA ? undefined : parseTotLog(read('game24-tot-bfs-sample.json'), 'bfs')) as ReturnType<typeof parseTotLog>;
const cotLog = (NEEDS_SHARED_DATA ? undefined : parseTotLog(read('game24-cot-sample.json'), 'cot')) as ReturnType<typeof parseTotLog>;
const csv = new Map(NEEDS_SHARED_DATA ? [] : loadTotCsv(TOT_CSV, { start: 900, end: 904 }).map((t) => [t.id, t.spec.numbers]));

describe('importing the GPT-4 ToT search log', { skip: NEEDS_SHARED_DATA }, () => {
  assert.equal(bfsLog.kind, 'bfs');
  const puzzles = bfsLog.kind === 'bfs' ? bfsLog.entries.map(importBfsEntry) : [];
  const report = totImportReport('bfs', puzzles);

  it("agrees with the log's r on every final output (25 of 25), and finds its 4 of 5 solved puzzles", () => {
    // Measured: no disagreement. Both verdicts read the last `Answer:` line, require the puzzle's numbers
    // each once, and require exactly 24; no output in this sample tells them apart.
    assert.deepEqual(report.agreement, { agree: 25, total: 25 });
    assert.deepEqual(report.disagreements, []);
    assert.deepEqual(report.success, { stepwise: 0.8, log: 0.8, measure: 'any-correct' });
    assert.equal(report.correctDespiteWrongStep, 0, 'every output both call correct is valid step by step');
  });

  it('locates the first wrong intermediate step of the wrong outputs, and rejects a fair share of all proposals', () => {
    const wrongOutputs = puzzles.flatMap((p) => p.outputs).filter((o) => o.firstWrongStep !== null);
    assert.equal(Object.values(report.firstWrongStep).reduce((a, b) => a + b, 0), wrongOutputs.length);
    assert.ok(wrongOutputs.every((o) => !o.correct));
    // The first puzzle's output 2 claims `15 / 10 = 1.5 (left: 1.5 10)`: the 10 was used up, so step 3 is wrong.
    const first = puzzles[0].outputs[2];
    assert.match(first.text, /15 \/ 10 = 1.5 \(left: 1.5 10\)/);
    assert.equal(first.firstWrongStep, 3);
    assert.ok(report.invalidStepNodes > 50 && report.invalidStepNodes < report.stepNodes / 2, `${report.invalidStepNodes}/${report.stepNodes}`);
    // GPT-4 rounds (10 / 6 = 1.666): those steps are valid, and counted as read from a rounding.
    assert.ok(report.roundedStepNodes > 0 && report.roundedStepNodes < report.stepNodes - report.invalidStepNodes, `${report.roundedStepNodes}`);
  });

  it('builds one tree per puzzle: proposals merged by prefix, GPT-4 values as scores, kept ones selected; credit runs on it', async () => {
    const store = createMemoryStore();
    const run = writeImportedRun(store, 'bfs', 'sample.json', puzzles);
    const summary = await store.getRun(run.runId);
    assert.deepEqual(summary.run.origin, { kind: 'import', runId: run.runId, nodeId: null });
    assert.equal(summary.results.filter((r) => r.outcome === 'solved').length, 4);
    const tree = await store.getTree(run.runId, 'tot-900');
    const root = tree.nodes.find((n) => n.parentId === null)!;
    const firstLevel = tree.nodes.filter((n) => n.parentId === root.id);
    assert.equal(firstLevel.length, bfsLog.kind === 'bfs' ? bfsLog.entries[0].steps[0].new_ys.length : 0);
    const kept = firstLevel.filter((n) => tree.stats.get(n.id)?.selected).map((n) => n.actionText);
    assert.deepEqual(kept, ['4 + 5 = 9 (left: 6 9 10)', '5 + 6 = 11 (left: 4 10 11)', '6 + 10 = 16 (left: 4 5 16)', '4 * 5 = 20 (left: 6 10 20)', '4 - 5 = -1 (left: -1 6 10)']);
    const sixTimesTen = tree.candidates.find((c) => c.text === '6 * 10 = 60 (left: 4 5 60)')!;
    assert.equal(sixTimesTen.scores[0].detail, 'GPT-4 value 0.003');
    const credit = computeCredit(tree);
    assert.equal(credit.summary.successes, 2);
    const solution = tree.nodes.find((n) => n.id === tree.result!.solutionNodeId)!;
    assert.equal(solution.actionText, 'Answer: (4 * 5) + (10 - 6) = 24');
    assert.equal(credit.nodes.get(solution.id)!.mcValue, 1);
    await store.close();
  });
});

describe('importing the GPT-4 chain-of-thought sampling log', { skip: NEEDS_SHARED_DATA }, () => {
  assert.equal(cotLog.kind, 'cot');
  const puzzles = cotLog.kind === 'cot' ? cotLog.entries.map((e) => importCotEntry(e, csv.get(`tot-${e.idx}`)!)) : [];
  const report = totImportReport('cot', puzzles);

  it("agrees with the log's r on all 100 samples; success is the mean over samples", () => {
    // Measured: 100/100. Two samples (903#19, 904#19) reach 24 by valid steps but write a wrong Answer line;
    // both verdicts judge the answer, so both call them wrong and still agree.
    assert.deepEqual(report.agreement, { agree: 100, total: 100 });
    assert.deepEqual(report.success, { stepwise: 0.03, log: 0.03, measure: 'mean-over-samples' });
    const hidden = puzzles.flatMap((p) => p.outputs.map((o, i) => ({ p, o, i }))).filter(({ o }) => !o.correct && o.firstWrongStep === null && /left: 24\)/.test(o.text));
    assert.deepEqual(hidden.map(({ p, i }) => `${p.idx}#${i}`).filter((id) => id === '903#19' || id === '904#19'), ['903#19', '904#19']);
  });

  it('puts each sample on its own branch and finds false steps like 10 * 1 = 24', () => {
    assert.ok(puzzles.every((p) => p.tree.root.children.length === 20));
    const ten = puzzles[0].tree.nodes.find((n) => n.judged?.text === '10 * 1 = 24 (left: 24)')!;
    assert.equal(ten.judged!.check.valid, false);
    assert.match(ten.judged!.check.reason!, /1 is not among the numbers left/);
    assert.ok(Object.keys(report.firstWrongStep).length > 0);
  });
});

it('refuses a file that is not a ToT log, saying what was expected', () => {
  assert.throws(() => parseTotLog({ idx: 1 }, 'x.json'), (e: unknown) => e instanceof UsageError && /top level must be a non-empty JSON array/.test(e.message));
  assert.throws(() => parseTotLog([{ idx: 1, ys: ['a'], infos: [] }], 'x.json'), /1 outputs but 0 verdicts/);
  assert.throws(() => parseTotLog([{ idx: 'a', steps: [], ys: [], infos: [] }], 'x.json'), /entry 0 is not a ToT search log entry \(idx: /);
});

it("reads ToT's IO (standard prompting) sampling logs, whose entries carry accs instead of infos, as the CoT log's verdicts", { skip: NEEDS_SHARED_DATA }, () => {
  // The CoT sample rewritten in the IO logs' shape: the same outputs with their correctness as `accs`.
  const asIo = read('game24-cot-sample.json').map(({ infos, ...entry }: { infos: { r: number }[] }) => ({ ...entry, accs: infos.map((info) => info.r) }));
  const io = parseTotLog(asIo, 'io.json');
  assert.equal(io.kind, 'cot');
  assert.deepEqual(io.entries.map((e) => e.infos.map((i) => i.r)), cotLog.entries.map((e) => e.infos.map((i) => i.r)));
  const puzzles = io.kind === 'cot' ? io.entries.map((e) => importCotEntry(e, csv.get(`tot-${e.idx}`)!)) : [];
  assert.deepEqual(totImportReport('cot', puzzles).agreement, { agree: 100, total: 100 });
  assert.throws(() => parseTotLog([{ idx: 900, ys: ['a'], scores: [1] }], 'odd.json'), (e: unknown) => e instanceof UsageError && /entry 0 has neither `infos` nor `accs` \(its fields: idx, ys, scores\)/.test(e.message));
  assert.throws(() => parseTotLog([{ idx: 900, ys: ['a'], accs: 'yes' }], 'odd.json'), /field `accs` must be a list of numbers/);
});
