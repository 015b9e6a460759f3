import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Transition } from '../../../src/core/environment.ts';
import { ActionParseError } from '../../../src/core/errors.ts';
import { checkAnswer } from '../../../src/envs/game24/answer.ts';
import { game24Environment } from '../../../src/envs/game24/env.ts';
import { parseGame24Solution } from '../../../src/envs/game24/solution.ts';
import type { Game24State } from '../../../src/envs/game24/step.ts';
import { loadTotCsv } from '../../../src/envs/game24/tot-csv.ts';
import { TOT_CSV, TOT_DATA } from './data.ts';
import { NEEDS_SHARED_DATA } from '../../shared-data.ts';

interface BfsEntry {
  idx: number;
  steps: { step: number; x: string; new_ys: string[] }[];
  ys: string[];
  infos: { r: number }[];
}
interface CotEntry {
  idx: number;
  ys: string[];
  infos: { r: number }[];
}

const bfsLog: BfsEntry[] = NEEDS_SHARED_DATA ? [] : JSON.parse(readFileSync(join(TOT_DATA, 'game24-tot-bfs-sample.json'), 'utf8'));
const cotLog: CotEntry[] = NEEDS_SHARED_DATA ? [] : JSON.parse(readFileSync(join(TOT_DATA, 'game24-cot-sample.json'), 'utf8'));

function loadPuzzle(numbers: number[], roundedDecimals: 'resolve' | 'refuse' = 'resolve') {
  return game24Environment.load({ id: 'log', env: 'game24', source: 'log', spec: { numbers, roundedDecimals } });
}

/** Replays a model's solution step by step, stopping at the first step that does not parse or is invalid. */
function replay(numbers: number[], text: string): { reached24: boolean; firstFault: string | null } {
  const problem = loadPuzzle(numbers);
  let state = problem.initialState;
  let reached24 = false;
  for (const line of parseGame24Solution(text).steps) {
    let action;
    try {
      action = game24Environment.parseAction(line);
    } catch (error) {
      if (error instanceof ActionParseError) return { reached24, firstFault: `parse: ${error.message}` };
      throw error;
    }
    const t = problem.step(state, action) as Transition<Game24State>;
    if (!t.check.valid) return { reached24, firstFault: `${line} → ${t.check.reason}` };
    state = t.state;
    reached24 = t.success;
  }
  return { reached24, firstFault: null };
}

describe('the GPT-4 Tree-of-Thoughts BFS log', { skip: NEEDS_SHARED_DATA }, () => {
  const stepLines = new Set<string>();
  for (const entry of bfsLog) {
    for (const level of entry.steps) for (const ys of level.new_ys) for (const line of parseGame24Solution(ys).steps) stepLines.add(line);
  }

  it('parses every step line, and fails clearly only on prose', () => {
    const failures: string[] = [];
    for (const line of stepLines) {
      try {
        game24Environment.parseAction(line);
      } catch (error) {
        assert.ok(error instanceof ActionParseError, `${line}: ${String(error)}`);
        assert.ok(error.message.includes(line.replace(/\.$/, '').slice(0, 80)), 'the error quotes the line (its first 80 characters)');
        failures.push(line);
      }
    }
    // The only failures are GPT-4 talking instead of stepping (e.g. "1. Round the number ... round(2.18) = 2").
    for (const line of failures) assert.doesNotMatch(line, /^[\d.]+ [-+*/] [\d.]+ [=≈]/, line);
    assert.ok(failures.length <= 10, `${failures.length} failures`);
    assert.ok(stepLines.size > 350);
    for (const line of stepLines) if (line.includes('(left:')) assert.doesNotThrow(() => game24Environment.parseAction(line), line);
  });

  it('rejects its rounded steps under refuse and reads them under resolve, and its miscounted steps always, with exact reasons', () => {
    const problem = loadPuzzle([4, 5, 6, 10]);
    const at = (numbers: string[], text: string, p = problem) =>
      (p.step({ numbers }, game24Environment.parseAction(text)) as Transition<Game24State>).check;
    assert.equal(
      at(['10', '15'], '10 / 15 = 0.666 (left: 0.666 15)', loadPuzzle([4, 5, 6, 10], 'refuse')).reason,
      '10 / 15 = 2/3, not 0.666 (0.666 is 2/3 rounded; steps must be exact)',
    );
    assert.equal(at(['10', '15'], '10 / 15 = 0.666 (left: 0.666)').note, 'rounded: 0.666 read as 2/3');
    assert.equal(at(['10', '15'], '10 / 15 = 0.666 (left: 0.666 15)').reason, 'after 10 / 15 = 2/3 the numbers left are 2/3, not 0.666 15 (unexpected 15)');
    assert.equal(at(['10', '15'], '15 - 10 = 5 (left: 5 10)').reason, 'after 15 - 10 = 5 the numbers left are 5, not 5 10 (unexpected 10)');
    assert.equal(at(['2', '9'], '9 / 1.5 = 6').reason, '1.5 is not among the numbers left (2 9)');
  });

  it("agrees with the log's verdict on every final output, and its winners are valid step by step", () => {
    for (const entry of bfsLog) {
      const numbers = entry.steps[0].x.split(' ').map(Number);
      entry.ys.forEach((ys, i) => {
        assert.equal(checkAnswer(numbers, ys).valid, entry.infos[i].r === 1, `${entry.idx}#${i}: ${ys}`);
        if (entry.infos[i].r === 1) assert.deepEqual(replay(numbers, ys), { reached24: true, firstFault: null });
      });
    }
  });
});

describe('the GPT-4 chain-of-thought log', { skip: NEEDS_SHARED_DATA }, () => {
  const csvRows = new Map(loadTotCsv(TOT_CSV, { start: 900, end: 904 }).map((task) => [task.id, task.spec.numbers]));
  const samples = cotLog.flatMap((entry) =>
    entry.ys.map((text, i) => ({ idx: entry.idx, i, text, r: entry.infos[i].r, numbers: csvRows.get(`tot-${entry.idx}`)! })),
  );

  it("agrees with the log's own verdict on the Answer line", (t) => {
    const disagreements = samples.filter((s) => checkAnswer(s.numbers, s.text).valid !== (s.r === 1));
    t.diagnostic(`checkAnswer agrees with infos[].r on ${samples.length - disagreements.length}/${samples.length} samples`);
    assert.equal(samples.length, 100);
    // We read all 100 and found no disagreement: both sides reject every answer that is wrong or missing.
    assert.deepEqual(disagreements, []);
    assert.equal(samples.filter((s) => s.r === 1).length, 3);
  });

  it("judges GPT-4's false steps such as 10 * 1 = 24 invalid", () => {
    const faults = samples.map((s) => replay(s.numbers, s.text).firstFault).filter((f) => f !== null);
    assert.ok(faults.includes('10 * 1 = 24 (left: 24) → 1 is not among the numbers left (10 10); and 10 * 1 = 10, not 24'));
    assert.ok(faults.includes('36 / 5 = 24 (left: 24) → 36 / 5 = 36/5, not 24'));
    assert.ok(faults.includes('2 * 6 = 24 (left: 24) → 2 * 6 = 12, not 24'));
    assert.ok(faults.includes('26 - 1 = 25 (left: 24) → after 26 - 1 = 25 the numbers left are 25, not 24 (missing 25; unexpected 24)'));
  });

  it('finds the quirk the answer-only verdict hides: valid steps to 24 under a wrong Answer line', () => {
    // Both verdicts call these wrong, yet the steps above them solve the puzzle: GPT-4 then wrote an intermediate into the answer.
    const hidden = samples.filter((s) => s.r === 0 && replay(s.numbers, s.text).reached24);
    assert.deepEqual(
      hidden.map((s) => [s.idx, s.i, checkAnswer(s.numbers, s.text).reason]),
      [
        [903, 19, 'uses 4 10 13 3 but the puzzle is 3 4 4 13 (4 is not used; 10 is not in the puzzle); and it evaluates to 0, not 24'],
        [904, 19, 'uses 9 7 6 2 but the puzzle is 6 7 8 9 (8 is not used; 2 is not in the puzzle); and it evaluates to 6, not 24'],
      ],
    );
    for (const s of samples.filter((s) => s.r === 1)) assert.equal(replay(s.numbers, s.text).reached24, true);
  });
});
