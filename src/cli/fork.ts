import { UsageError } from '../core/errors.ts';
import { forkRun, type ForkChanges } from '../replay/fork.ts';
import { parseModelSpec } from '../models/spec.ts';
import { strategies } from '../search/strategies/index.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { dbFlag, defaultStore, intOption, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';
import { parseScorerList } from './component-flags.ts';
import { withRunProgress } from './run-progress.ts';
import { modelCallHealth, reportModelCallFailures } from './model-call-report.ts';
import { withRecordedStore } from './stored-runs.ts';
import { summaryTable } from './run.ts';

const STRATEGY_FLAGS = ['width', 'k', 'aggregate', 'select', 'threshold', 'simulations', 'variant', 'exploration', 'rollout-depth', 'virtual-loss'] as const;

export const forkCommand: Command = {
  name: 'fork',
  help: `Usage: stepwise fork <node> [--action <text>] [--strategy <name> …] [--model <spec>] [--budget <n>] [options]

<node> is a node id, <run id>.<n>: \`stepwise show <run> --task <id>\` prints each node's ending (.17),
and a unique prefix of the run id will do (r1a2.17). The new run
shares the path from the task's root to that node with its origin (nothing is copied, no model
call is repeated: replies already recorded are served from the store), and continues from there:
  --action <text>         take this step at the node first (the environment's text form), then search on
  --strategy <name>       search on with another strategy (${strategies.names().join(' | ')});
                          its options: --width --k --aggregate --select --threshold --simulations
                          --variant --exploration --rollout-depth --virtual-loss
  --model <spec>          another model (same prompts and settings); --scorer <list> other scorers
  --budget <n>            expansions for the new search (same as --max-expansions);
                          --max-model-calls <n>, --max-tokens <n>
  --seed <n>              another seed (default: the origin's)
Everything not given is the origin run's. \`stepwise show <fork>\` shows the family of runs.
  --json                  print the summary as one JSON object on stdout
  --db <path>             store file or postgres:// URL (default $STEPWISE_DB, else ${DEFAULT_STORE_PATH})

Examples:
  stepwise fork r1a2b3.17 --action "(unstack b a)"
  stepwise fork r1a2b3.17 --strategy mcts --simulations 200
  stepwise fork r1a2b3.4 --model openai:gpt-4o --budget 50`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('fork', argv, {
      action: { type: 'string' },
      strategy: { type: 'string' },
      ...Object.fromEntries(STRATEGY_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
      model: { type: 'string' },
      scorer: { type: 'string' },
      budget: { type: 'string' },
      'max-expansions': { type: 'string' },
      'max-model-calls': { type: 'string' },
      'max-tokens': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: defaultStore() },
    });
    if (values.help) {
      console.log(forkCommand.help);
      return 0;
    }
    const [nodeId] = positionals;
    if (!nodeId) throw new UsageError('which node?', { hint: 'pass a node id like r1a2b3.17; `stepwise show <run> --task <id>` prints each node\'s id ending' });
    rejectExtraPositionals('fork', positionals, 1, 'quote an action that holds spaces, e.g. --action "(unstack b a)"');
    if (values.budget !== undefined && values['max-expansions'] !== undefined) throw new UsageError('--budget and --max-expansions are the same limit; give one');
    const text = (key: string) => (values as Record<string, string | boolean | undefined>)[key] as string | undefined;
    const strategyOptions = Object.fromEntries(STRATEGY_FLAGS.map((flag) => [flag, text(flag)]));
    const changes: ForkChanges = {
      action: values.action,
      strategy: values.strategy,
      strategyOptions,
      model: values.model === undefined ? undefined : { spec: parseModelSpec(values.model).text },
      scorers: values.scorer === undefined ? undefined : parseScorerList(values.scorer),
      budget: {
        expansions: intOption(values.budget !== undefined ? 'budget' : 'max-expansions', values.budget ?? values['max-expansions'], { min: 1 }),
        modelCalls: intOption('max-model-calls', values['max-model-calls'], { min: 1 }),
        tokens: intOption('max-tokens', values['max-tokens'], { min: 1 }),
      },
      seed: intOption('seed', values.seed),
    };
    const result = await withRecordedStore(values.db!, async (store) => {
      const forked = await withRunProgress(`fork of ${nodeId}`, 1, values.json!, (hooks) => forkRun({ store, nodeId, changes, ...hooks }));
      return { ...forked, modelCalls: await modelCallHealth(store, forked.runId) };
    });
    const shared = result.sharedSteps.slice(1).map((n) => n.actionText ?? '?');
    if (values.json) {
      console.log(JSON.stringify({ runId: result.runId, origin: result.origin, sharedSteps: shared, strategy: result.recipe.strategy, model: result.recipe.model?.spec ?? null, status: result.status, results: result.results, ...result.stats, db: values.db }));
    } else {
      console.log(`fork of run ${result.origin.runId} at node ${nodeId}: ${shared.length} shared step(s)${shared.length ? ` (${shared.join(' → ')})` : ''}, borrowed, not copied`);
      console.log(summaryTable([{ label: result.runId, result }]));
      const plan = result.results[0]?.plan;
      if (plan) console.log(`\nplan: ${plan.map((step, i) => `${i + 1}. ${step}`).join('  ')}`);
      console.log(`\nNext: stepwise show ${result.runId} --task ${result.results[0]?.taskId ?? '<task>'}${dbFlag(values.db!)}`);
    }
    if (result.status === 'interrupted') {
      console.error(`stepwise fork: interrupted; the fork is recorded so far, continue it with \`stepwise resume ${result.runId}${dbFlag(values.db!)}\`.`);
      return 130;
    }
    return reportModelCallFailures('fork', result.runId, result.modelCalls) ?? 0;
  },
};

