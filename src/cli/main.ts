import { StepwiseError } from '../core/errors.ts';
import { STEPWISE_VERSION } from '../core/version.ts';
import type { Command } from './args.ts';
import { approveCommand } from './approve.ts';
import { creditCommand } from './credit.ts';
import { demoCommand } from './demo.ts';
import { evalCommand } from './eval.ts';
import { feedbackCommand } from './feedback.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { runCommand } from './run.ts';
import { forkCommand } from './fork.ts';
import { guardEvalCommand } from './guard-eval.ts';
import { replayCommand } from './replay.ts';
import { resumeCommand } from './resume.ts';
import { runsCommand } from './runs.ts';
import { showCommand } from './show.ts';
import { trainValueCommand } from './train-value.ts';
import { verifyCommand } from './verify.ts';
import { viewCommand } from './view.ts';
import { workerCommand } from './worker.ts';

const COMMANDS: Command[] = [
  demoCommand, runCommand, verifyCommand, runsCommand, showCommand, viewCommand,
  replayCommand, resumeCommand, forkCommand, approveCommand,
  creditCommand, exportCommand, importCommand, trainValueCommand, evalCommand, feedbackCommand, guardEvalCommand,
  workerCommand,
];

const HELP = `stepwise ${STEPWISE_VERSION}: search, score and record the intermediate actions of agents

Usage: stepwise <command> [options]     (stepwise <command> --help for each)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n')}

Example:
  stepwise run strips --tasks "generate:blocksworld?count=5&blocks=4&length=6" --strategy mcts
  stepwise show latest`;

/** Runs one CLI invocation and returns its exit code; errors the user can fix print without a stack. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(STEPWISE_VERSION);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`stepwise: unknown command "${name}"\n  commands: ${COMMANDS.map((c) => c.name).join(', ')} (see stepwise --help)`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof StepwiseError) {
      console.error(`stepwise ${name}: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}`);
      return 2;
    }
    throw error;
  }
}
