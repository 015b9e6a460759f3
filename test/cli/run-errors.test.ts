import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertUsageFailure, PLANBENCH, runCli, tempDb, tempDir, TOT_CSV } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';
import { BLOCKSWORLD_DOMAIN } from '../../src/envs/strips/blocksworld-domain.ts';

const INSTANCE = `${PLANBENCH}/instances/instance-1.pddl`;

/** Every case must fail before any search: exit 2, what went wrong, and what to do instead. */
// needsData: the case reads ../shared/data (the others fail before any file is read).
const CASES: { name: string; args: string[]; expect: RegExp[]; needsData?: true }[] = [
  { name: 'no environment', args: [], expect: [/which environment\?/, /strips, game24/] },
  { name: 'an unknown environment', args: ['sokoban', '--tasks', 'x'], expect: [/unknown environment "sokoban"/, /choose one of: strips, game24/] },
  { name: 'no --tasks', args: ['strips'], expect: [/--tasks is required/, /e\.g\. --tasks generate:blocksworld/] },
  { name: 'an unknown strategy', args: ['strips', '--tasks', INSTANCE, '--strategy', 'astar'], expect: [/unknown strategy "astar"/, /choose one of: .*bfs.*mcts/] },
  { name: 'a width that is not a number', args: ['strips', '--tasks', INSTANCE, '--width', 'abc'], expect: [/--width must be a whole number >= 1 or "all", got "abc"/] },
  { name: 'a width of zero', args: ['strips', '--tasks', INSTANCE, '--width', '0'], expect: [/--width must be a whole number >= 1/] },
  { name: 'a fractional k', args: ['strips', '--tasks', INSTANCE, '--k', '1.5'], expect: [/--k must be a whole number/, /"1\.5"/] },
  { name: 'a budget that is not a number', args: ['strips', '--tasks', INSTANCE, '--max-expansions', '1e'], expect: [/--max-expansions must be a whole number >= 1, got "1e"/] },
  { name: 'a seed beyond 2^53 (it would be stored rounded)', args: ['strips', '--tasks', INSTANCE, '--seed', '9007199254740993'], expect: [/--seed must be at most 9007199254740991 \(2\^53 - 1\), got "9007199254740993"/] },
  { name: 'a zero time limit', args: ['strips', '--tasks', INSTANCE, '--time-limit', '0s'], expect: [/--time-limit must be a positive duration like 30s/] },
  { name: 'a flag the strategy ignores', args: ['strips', '--tasks', INSTANCE, '--strategy', 'mcts', '--width', '3'], expect: [/--width does not apply to --strategy mcts/, /--simulations/] },
  { name: 'an unknown flag', args: ['strips', '--tasks', INSTANCE, '--widht', '3'], expect: [/Unknown option '--widht'/, /stepwise run --help/] },
  { name: 'a missing PDDL problem file', args: ['strips', '--tasks', 'missing/problem-1.pddl'], expect: [/missing\/problem-1\.pddl: no such file/, /pass \.pddl problem files/] },
  { needsData: true, name: 'a missing PDDL domain file', args: ['strips', '--tasks', INSTANCE, '--domain', 'nowhere/domain.pddl'], expect: [/nowhere\/domain\.pddl: no such file/, /domain file/] },
  { needsData: true, name: 'a domain file given as the problem', args: ['strips', '--tasks', `${PLANBENCH}/domain.pddl`], expect: [/expected \(problem NAME\)/, /looks like a domain file/] },
  { name: 'a task spec game24 does not know', args: ['game24', '--tasks', 'random'], expect: [/does not understand the task spec "random"/, /tot:.*puzzle:/] },
  { name: 'a row range that is not one', args: ['game24', '--tasks', `tot:${TOT_CSV}:first-ten`], expect: [/'first-ten' is not a row range/, /900-999/] },
  { needsData: true, name: 'rows outside the CSV', args: ['game24', '--tasks', `tot:${TOT_CSV}:1400-1410`], expect: [/outside .*24\.csv, which has rows 0-1361/] },
  { name: 'a puzzle of three numbers', args: ['game24', '--tasks', 'puzzle:4 6 8'], expect: [/four whole numbers/, /got "4 6 8"/] },
  { name: 'an unquoted puzzle', args: ['game24', '--tasks', 'puzzle:4', '4', '6', '8'], expect: [/unexpected arguments "4" "6" "8"/, /quote values that hold spaces/] },
  { name: 'a generator parameter that does not exist', args: ['strips', '--tasks', 'generate:blocksworld?cuont=3'], expect: [/no parameter "cuont"/, /count, blocks, length, seed/] },
  { name: 'a generator for the other environment', args: ['game24', '--tasks', 'generate:blocksworld?count=3'], expect: [/generates "game24" tasks, not "blocksworld"/] },
  { name: 'a store path that is a folder', args: ['game24', '--tasks', 'puzzle:4 4 6 8', '--db', '.'], expect: [/^stepwise run: \. is a folder, not a store file/, /--db/] },
];

describe('stepwise run: usage errors', { concurrency: true }, () => {
  for (const { name, args, expect, needsData } of CASES) {
    it(`${name} exits 2 with a message and no stack trace`, { skip: needsData ? NEEDS_SHARED_DATA : false }, async () => {
      const dbArgs = args.includes('--db') ? [] : ['--db', tempDb()];
      assertUsageFailure(await runCli(['run', ...args, ...dbArgs]), 'run', expect);
    });
  }

  it('a malformed PDDL problem names the file and line', { skip: NEEDS_SHARED_DATA }, async () => {
    const dir = tempDir();
    const problem = join(dir, 'broken.pddl');
    writeFileSync(problem, '(define (problem broken)\n  (:domain blocksworld-4ops)\n  (:objects a b)\n  (:init (ontable a)\n  (:goal (on a b)))\n');
    const result = await runCli(['run', 'strips', '--tasks', problem, '--domain', `${PLANBENCH}/domain.pddl`, '--db', tempDb()]);
    assertUsageFailure(result, 'run', [/broken\.pddl line \d+/]);
  });

  it('input quoted in a message has its control bytes escaped and is cut, never 200 KB on the terminal (CSV, PDDL)', async () => {
    const dir = tempDir();
    const header = 'Rank,Puzzles,AMT (s),Solved rate,1-sigma Mean (s),1-sigma STD (s)\n';
    const coloured = join(dir, 'coloured.csv');
    writeFileSync(coloured, `${header}1,1 1 4 6\x1b[31m\x07,5.5,99%,1,1\n`);
    const long = join(dir, 'long.csv');
    writeFileSync(long, `${header}2,${'9 '.repeat(100_000)},1,1,1,1\n`);
    const domain = join(dir, 'domain.pddl');
    writeFileSync(domain, BLOCKSWORLD_DOMAIN);
    const pddl = join(dir, 'escape.pddl');
    writeFileSync(pddl, `(define (problem x) (:domain blocksworld-4ops) (:objects a b) (:init (fo\x1b[2Jo a)) (:goal (and (on a b${' '.repeat(200_000)}))))`);
    const cases: [string[], RegExp][] = [
      [['game24', '--tasks', `tot:${coloured}`], /found '1 1 4 6\\x1b\[31m\\x07'/],
      [['game24', '--tasks', `tot:${long}`], /found '9 9 9 .*…' \(200,000 characters\)/],
      [['strips', '--tasks', pddl, '--domain', domain], /unknown predicate 'fo\\x1b\[2jo'/],
    ];
    for (const [args, shown] of cases) {
      const result = await runCli(['run', ...args, '--db', tempDb()]);
      assertUsageFailure(result, 'run', [shown]);
      assert.doesNotMatch(result.stderr, /[\x00-\x08\x0b-\x1f\x7f]/, 'no raw control byte reaches the terminal');
      assert.ok(result.stderr.length < 2000, `a short message, not ${result.stderr.length} characters`);
    }
  });
});
