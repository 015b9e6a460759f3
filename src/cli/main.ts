import { StepwiseError } from '../core/errors.ts';
import { STEPWISE_VERSION } from '../core/version.ts';
import type { Command } from './args.ts';

/** A command as `--help` lists it; its module (and what that imports) loads only when the command runs. */
interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

// Start-up stays instant because nothing below is imported until its command is chosen (bench/startup.ts).
const COMMANDS: CommandEntry[] = [
  { name: 'demo', summary: 'search built-in Blocksworld and Game of 24 tasks offline, no model needed', load: async () => (await import('./demo.ts')).demoCommand },
  { name: 'run', summary: 'search tasks of an environment with a strategy and record every step', load: async () => (await import('./run.ts')).runCommand },
  { name: 'verify', summary: 'check a written solution step by step against an environment', load: async () => (await import('./verify.ts')).verifyCommand },
  { name: 'runs', summary: 'list recorded runs, newest first', load: async () => (await import('./runs.ts')).runsCommand },
  { name: 'show', summary: "show a run's tasks, or one task's tree with values, visits, verdicts and the chosen path", load: async () => (await import('./show.ts')).showCommand },
  { name: 'view', summary: 'browse runs, trees, nodes and model calls in a local web viewer', load: async () => (await import('./view.ts')).viewCommand },
  { name: 'replay', summary: 're-execute a recorded run offline and check every step comes out the same', load: async () => (await import('./replay.ts')).replayCommand },
  { name: 'resume', summary: 'continue a run that was killed or interrupted, keeping every step it recorded', load: async () => (await import('./resume.ts')).resumeCommand },
  { name: 'fork', summary: 'start a new run from a recorded node, with a given action or another strategy, model or budget', load: async () => (await import('./fork.ts')).forkCommand },
  { name: 'approve', summary: 'answer the actions guards held for a person: approve, reject with a reason, or edit', load: async () => (await import('./approve.ts')).approveCommand },
  { name: 'credit', summary: 'compute step credit (values, advantages, process rewards, Q, progress, pivots) and store it', load: async () => (await import('./credit.ts')).creditCommand },
  { name: 'export', summary: 'write training data from recorded runs (dpo, prm, sft, jsonl), or send their trees to an OpenTelemetry collector (otel)', load: async () => (await import('./export.ts')).exportCommand },
  { name: 'import', summary: 'import recorded searches from elsewhere (Tree-of-Thoughts Game of 24 logs) as runs', load: async () => (await import('./import.ts')).importCommand },
  { name: 'train-value', summary: 'fit a small value model (logistic regression, on the CPU) to the Monte Carlo values of recorded runs', load: async () => (await import('./train-value.ts')).trainValueCommand },
  { name: 'eval', summary: 'run a suite of configurations over tasks and epochs; key nodes, statistics, an HTML report', load: async () => (await import('./eval.ts')).evalCommand },
  { name: 'feedback', summary: 'people in the loop: pick proposed actions, judge their execution; stats and export', load: async () => (await import('./feedback.ts')).feedbackCommand },
  { name: 'guard-eval', summary: 'replay recorded agent trajectories through a guard chain offline and report what it stops', load: async () => (await import('./guard-eval.ts')).guardEvalCommand },
  { name: 'store', summary: 'copy runs between stores (SQLite, Postgres, memory), verified by record counts and content hashes', load: async () => (await import('./store.ts')).storeCommand },
  { name: 'worker', summary: 'search the task jobs of queued runs (stepwise run … --queue), on this or any machine', load: async () => (await import('./worker.ts')).workerCommand },
];

const HELP = `stepwise ${STEPWISE_VERSION}: search, score and record the intermediate actions of agents

Usage: stepwise <command> [options]     (stepwise <command> --help for each)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n')}

Plug-ins: --plugin <file|package> (repeatable, any command) or a stepwise.config.{ts,js,mjs} in the
working directory adds environments, strategies, proposers, scorers, guards, export formats and
key-node types (docs/extending.md).
Stores: --db takes a file path, sqlite:<path>, memory: or postgres://user@host/db[?schema=name];
  STEPWISE_DB sets the default (else .stepwise/traces.db).

Example:
  stepwise run kv --plugin examples/plugins/kv-store/kv-plugin.ts --tasks "generate:kv?count=3" --strategy best-first
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
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    console.error(`stepwise: unknown command "${name}"\n  commands: ${COMMANDS.map((c) => c.name).join(', ')} (see stepwise --help)`);
    return 2;
  }
  try {
    const command = await entry.load();
    // Plug-ins load only for a command that runs, so `--help` stays instant.
    const { loadCliPlugins } = await import('./plugins.ts');
    return await command.run(await loadCliPlugins(rest));
  } catch (error) {
    if (error instanceof StepwiseError) {
      const { inFlagTerms } = await import('./component-flags.ts');
      const shown = inFlagTerms(error);
      // Messages quote files and server replies: never let their control bytes or 200 KB lines reach the terminal.
      const { printableMessage } = await import('../core/quote-text.ts');
      console.error(printableMessage(`stepwise ${name}: ${shown.message}${shown.hint ? `\n  hint: ${shown.hint}` : ''}`));
      return 2;
    }
    throw error;
  }
}
