import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertUsageFailure, PLANBENCH, runCli, tempDir } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const plans: Record<string, { plan: string; length: number }> = NEEDS_SHARED_DATA ? {} : JSON.parse(readFileSync(`${PLANBENCH}/plans.json`, 'utf8'));
const DOMAIN = `${PLANBENCH}/domain.pddl`;
const problemOf = (instance: string) => `${PLANBENCH}/instances/${instance}`;

function writePlan(lines: string[]): string {
  const path = join(tempDir(), 'plan.txt');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const GAME24_STEPS = ['4 + 8 = 12 (left: 4 6 12)', '6 - 4 = 2 (left: 2 12)', '2 * 12 = 24 (left: 24)'];
const verifyGame24 = (lines: string[], ...extra: string[]) =>
  runCli(['verify', 'game24', '--puzzle', '4 4 6 8', '--solution', '-', ...extra], { input: `${lines.join('\n')}\n` });

describe('stepwise verify', { concurrency: true }, () => {
  it('accepts the gold PlanBench plan of every plan length, with a ✓ per step', { skip: NEEDS_SHARED_DATA }, async () => {
    const chosen = Object.entries(plans).filter(([, { length }], i, all) => all.findIndex(([, p]) => p.length === length) === i);
    assert.equal(chosen.length, 6, 'one instance for each plan length 2..12');
    await Promise.all(
      chosen.map(async ([instance, gold]) => {
        const steps = gold.plan.split('\n');
        const result = await runCli(['verify', 'strips', '--domain', DOMAIN, '--problem', problemOf(instance), '--solution', writePlan(steps)]);
        assert.equal(result.code, 0, `${instance}: ${result.stdout}${result.stderr}`);
        assert.equal(result.stdout.match(/^ +\d+ +✓ /gm)?.length, gold.length);
        assert.match(result.stdout, new RegExp(`^ok: valid: goal reached in ${gold.length} steps$`, 'm'));
      }),
    );
  });

  it('rejects a plan with a step removed, naming the step and the unmet precondition', { skip: NEEDS_SHARED_DATA }, async () => {
    // Dropping (put-down b) leaves the hand full, so step 2, (pick-up c), lacks (handempty) and only that.
    const gold = plans['instance-1.pddl'].plan.split('\n');
    assert.deepEqual(gold, ['(unstack b c)', '(put-down b)', '(pick-up c)', '(stack c b)']);
    const broken = [gold[0], ...gold.slice(2)];
    const result = await runCli(['verify', 'strips', '--problem', problemOf('instance-1.pddl'), '--solution', writePlan(broken)]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^ +1 +✓ \(unstack b c\)$/m);
    assert.match(result.stdout, /^ +2 +✗ \(pick-up c\)\n +.*unmet preconditions? \(handempty\)$/m);
    assert.match(result.stdout, /^FAIL: invalid at step 2 of 3$/m);
    assert.doesNotMatch(result.stdout, /\(stack c b\)/, 'verification stops at the first invalid step');

    const json = await runCli(['verify', 'strips', '--problem', problemOf('instance-1.pddl'), '--solution', writePlan(broken), '--json']);
    const verdict = JSON.parse(json.stdout);
    assert.equal(json.code, 1);
    assert.equal(verdict.ok, false);
    assert.deepEqual(verdict.steps.map((s: { check: { valid: boolean } }) => s.check.valid), [true, false]);
    assert.deepEqual(verdict.steps[1].check.detail.unmet, ['(handempty)']);
  });

  it('rejects a plan that stops short of the goal', { skip: NEEDS_SHARED_DATA }, async () => {
    const gold = plans['instance-1.pddl'].plan.split('\n');
    const result = await runCli(['verify', 'strips', '--problem', problemOf('instance-1.pddl'), '--solution', '-'], { input: gold.slice(0, 3).join('\n') });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /FAIL: steps valid, but the goal is not reached after 3 steps/);
  });

  it('game24: correct steps from standard input exit 0', async () => {
    const result = await verifyGame24(GAME24_STEPS);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^ok: valid: goal reached in 3 steps$/m);
  });

  it('game24: correct steps with a correct Answer line exit 0', async () => {
    const result = await verifyGame24([...GAME24_STEPS, 'Answer: (4 + 8) * (6 - 4) = 24']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^ +=  ✓ \(4 \+ 8\) \* \(6 - 4\) = 24$/m);
  });

  it('game24: a wrong claimed result fails at that step with the true value', async () => {
    const result = await verifyGame24(['4 + 8 = 12 (left: 4 6 12)', '6 - 4 = 3 (left: 3 12)', '3 * 12 = 24 (left: 24)']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^ +2 +✗ 6 - 4 = 3 \(left: 3 12\)\n +6 - 4 = 2, not 3$/m);
    assert.match(result.stdout, /^FAIL: invalid at step 2 of 3$/m);
  });

  it('game24: valid steps with a wrong Answer line fail on the answer', async () => {
    const result = await verifyGame24([...GAME24_STEPS, 'Answer: (4 + 8) * (6 + 4) = 24']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^ +=  ✗ \(4 \+ 8\) \* \(6 \+ 4\) = 24\n +evaluates to 120, not 24$/m);
    assert.match(result.stdout, /^FAIL: steps valid, answer wrong/m);
  });

  it('game24: a correct Answer after steps that stop short still fails', async () => {
    const result = await verifyGame24([GAME24_STEPS[0], 'Answer: (4 + 8) * (6 - 4) = 24']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /FAIL: steps valid, but the goal is not reached after 1 step$/m);
  });

  it('usage errors exit 2: no task, no solution, a missing file, a folder of problems', { skip: NEEDS_SHARED_DATA }, async () => {
    const [noPuzzle, noSolution, missing, folder] = await Promise.all([
      runCli(['verify', 'game24', '--solution', '-']),
      runCli(['verify', 'game24', '--puzzle', '4 4 6 8']),
      runCli(['verify', 'game24', '--puzzle', '4 4 6 8', '--solution', 'no-such-plan.txt']),
      runCli(['verify', 'strips', '--problem', `${PLANBENCH}/instances`, '--solution', '-']),
    ]);
    assertUsageFailure(noPuzzle, 'verify', [/which task/, /--puzzle "4 4 6 8"/]);
    assertUsageFailure(noSolution, 'verify', [/--solution <file> is required/, /- to read them from standard input/]);
    assertUsageFailure(missing, 'verify', [/cannot read no-such-plan\.txt: no such file/]);
    assertUsageFailure(folder, 'verify', [/names 42/, /one problem file/]);
  });
});
