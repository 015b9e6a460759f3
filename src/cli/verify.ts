import type { StepCheck } from '../core/environment.ts';
import { ActionParseError, UsageError } from '../core/errors.ts';
import { getEnvironment, readTextInput } from '../envs/registry.ts';
import { parseCommandArgs, QUOTE_ADVICE, rejectExtraPositionals, type Command } from './args.ts';
import { BENCHMARK_DATA_NOTE } from './format.ts';

interface StepVerdict {
  step: number;
  text: string;
  check: StepCheck;
}

export const verifyCommand: Command = {
  name: 'verify',
  help: `Usage: stepwise verify <env> <task options> --solution <file|->

Checks every step in order and prints each step's verdict. Exit code 0 only if every step
is valid and the goal is reached (and, for game24, the final answer is correct when given).

  strips:  --domain <domain.pddl> --problem <problem.pddl> --solution <plan>
           the plan has one action per line, e.g. (unstack d c); ';' starts a comment
  game24:  --puzzle "4 4 6 8" --solution <steps>
           steps in Tree-of-Thoughts form, e.g. 4 + 8 = 12 (left: 4 6 12), optionally
           ending with a line like Answer: (4 + 8) * (6 - 4) = 24

Options:
  --json   print the verdicts as JSON

Examples:
  stepwise verify strips --domain ../shared/data/planbench/blocksworld/domain.pddl \\
      --problem ../shared/data/planbench/blocksworld/instances/instance-1.pddl --solution plan.txt
  printf '4 + 8 = 12 (left: 4 6 12)\\n6 - 4 = 2 (left: 2 12)\\n2 * 12 = 24 (left: 24)\\n' | \\
      stepwise verify game24 --puzzle "4 4 6 8" --solution -

${BENCHMARK_DATA_NOTE}`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('verify', argv, {
      domain: { type: 'string' },
      problem: { type: 'string' },
      puzzle: { type: 'string' },
      solution: { type: 'string' },
      plan: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) {
      console.log(verifyCommand.help);
      return 0;
    }
    const [envName] = positionals;
    if (!envName) throw new UsageError('which environment?', { hint: 'e.g. `stepwise verify strips --domain … --problem … --solution plan.txt`' });
    rejectExtraPositionals('verify', positionals, 1, QUOTE_ADVICE);
    const entry = getEnvironment(envName);
    const solutionPath = values.solution ?? values.plan;
    if (!solutionPath) throw new UsageError('--solution <file> is required', { hint: 'pass the file with the steps, or - to read them from standard input' });
    const taskSpec = envName === 'game24' ? (values.puzzle ? `puzzle:${values.puzzle}` : undefined) : values.problem;
    if (!taskSpec) {
      throw new UsageError(`${envName}: which task does the solution solve?`, {
        hint: envName === 'game24' ? 'pass --puzzle "4 4 6 8"' : 'pass --problem <problem.pddl> (and --domain <domain.pddl>)',
      });
    }
    const tasks = entry.loadTasks(taskSpec, { domain: values.domain });
    if (tasks.length !== 1) {
      throw new UsageError(`a solution solves one task, but ${taskSpec} names ${tasks.length}`, { hint: 'pass one problem file, not a folder or a list' });
    }
    const [task] = tasks;
    const problem = entry.env.load(task);
    const { steps, answer } = entry.parseSolution(readTextInput(solutionPath));

    const verdicts: StepVerdict[] = [];
    let state = problem.initialState;
    let success = false;
    for (const [i, text] of steps.entries()) {
      let check: StepCheck;
      try {
        const transition = await problem.step(state, entry.env.parseAction(text));
        check = transition.check;
        if (check.valid) {
          state = transition.state;
          success = transition.success;
        }
      } catch (error) {
        if (!(error instanceof ActionParseError)) throw error;
        check = { valid: false, reason: error.message };
      }
      verdicts.push({ step: i + 1, text, check });
      if (!check.valid) break;
    }
    const firstInvalid = verdicts.find((v) => !v.check.valid);
    const answerCheck = answer !== null && entry.checkAnswer ? entry.checkAnswer(task, answer) : null;
    // Steps, when given, must reach the goal; a lone answer line (ToT's CoT output) is judged by itself.
    const reached = steps.length > 0 ? success : answerCheck !== null;
    const ok = !firstInvalid && reached && (answerCheck?.valid ?? true);
    const stepCount = `${steps.length} step${steps.length === 1 ? '' : 's'}`;
    const verdict = firstInvalid
      ? `invalid at step ${firstInvalid.step} of ${steps.length}`
      : steps.length === 0 && answer === null
        ? `no steps found in ${solutionPath === '-' ? 'standard input' : solutionPath}`
        : !reached
          ? `steps valid, but the goal is not reached after ${stepCount}`
          : answerCheck && !answerCheck.valid
            ? `${steps.length > 0 ? 'steps valid, ' : ''}answer wrong: ${answerCheck.reason}`
            : steps.length > 0
              ? `valid: goal reached in ${stepCount}${answerCheck ? ' and the answer is correct' : ''}`
              : 'valid: the answer is correct';

    if (values.json) {
      console.log(JSON.stringify({ env: envName, task: task.id, ok, verdict, steps: verdicts, answer: answerCheck && { text: answer, ...answerCheck } }));
    } else {
      for (const v of verdicts) console.log(`${String(v.step).padStart(3)}  ${v.check.valid ? '✓' : '✗'} ${v.text}${v.check.valid ? '' : `\n       ${v.check.reason}`}`);
      if (answerCheck) console.log(`  =  ${answerCheck.valid ? '✓' : '✗'} ${answer}${answerCheck.valid ? '' : `\n       ${answerCheck.reason}`}`);
      console.log(`${ok ? 'ok' : 'FAIL'}: ${verdict}`);
    }
    return ok ? 0 : 1;
  },
};
