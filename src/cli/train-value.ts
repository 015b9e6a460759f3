import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { fitValueModel } from '../learn/fit-value.ts';
import { saveValueModel } from '../learn/value-model.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { intOption, parseCommandArgs, type Command } from './args.ts';
import { fixed, table } from './format.ts';
import { createProgress } from './progress.ts';
import { findRuns, warnIfUnfinished, withStore } from './stored-runs.ts';

export const trainValueCommand: Command = {
  name: 'train-value',
  help: `Usage: stepwise train-value <run…> -o <value.json> [--epochs <n>] [--held-out <share>] [--hash-bits <n>]
                            [--without-heuristic] [--unfinished failure|ignore] [--seed <n>] [--json] [--db <path>]

Every valid step of the runs' trees with a Monte Carlo value becomes an example: features of the step
(the environment's heuristic before and after; for STRIPS the goal facts it adds and removes; hashed
tokens of the action and its effect on the goal) → the step's value. A logistic regression is fitted by
Adam on the CPU; whole tasks are held out to report the error (MAE, RMSE, against predicting the mean)
and how often sibling steps are ordered right. Use the file with \`stepwise run … --scorer learned:<file>\`.

Options:
  -o, --output <file>       where to write the model (required)
  --epochs <n>              passes over the data (default 30)
  --held-out <share>        share of tasks held out (default 0.2)
  --hash-bits <n>           2^n hashed feature slots (default 12)
  --without-heuristic       leave the environment's heuristic out of the features
  --unfinished <how>        leaves where search stopped count as failure (default) or are ignored
  --seed <n>                shuffling seed (default 0)
  --json                    print the training report as one JSON object
  --db <path>               store file (default ${DEFAULT_STORE_PATH})

Example:
  stepwise run strips --tasks "generate:blocksworld?count=30&blocks=5&length=6" --strategy bfs --width all --max-depth 6
  stepwise train-value latest -o value.json
  stepwise run strips --tasks "generate:blocksworld?count=10&blocks=5&length=8&seed=9" --strategy mcts --variant puct --scorer learned:value.json`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('train-value', argv, {
      output: { type: 'string', short: 'o' },
      epochs: { type: 'string' },
      'held-out': { type: 'string' },
      'hash-bits': { type: 'string' },
      'without-heuristic': { type: 'boolean', default: false },
      unfinished: { type: 'string' },
      seed: { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: DEFAULT_STORE_PATH },
    });
    if (values.help) {
      console.log(trainValueCommand.help);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('which runs to learn from?', { hint: 'pass run ids from `stepwise runs`, or "latest"' });
    if (!values.output) throw new UsageError('-o <value.json> is required: where to write the model', { hint: 'e.g. stepwise train-value latest -o value.json' });
    // Said before the trees are read and the model trained, not after.
    if (!existsSync(dirname(resolve(values.output)))) throw new UsageError(`cannot write ${values.output}: the folder ${dirname(values.output)} does not exist`, { hint: 'pass -o <file> in a folder that exists and is writable' });
    const heldText = values['held-out'];
    const heldOut = heldText === undefined ? undefined : Number(heldText);
    if (heldOut !== undefined && !(heldOut >= 0 && heldOut < 1)) throw new UsageError(`--held-out must be a share from 0 to below 1, such as 0.2; got "${heldText}"`);
    const unfinished = values.unfinished;
    if (unfinished !== undefined && unfinished !== 'failure' && unfinished !== 'ignore') throw new UsageError(`--unfinished must be failure or ignore, got "${unfinished}"`);
    const hashBits = intOption('hash-bits', values['hash-bits'], { min: 4 });
    if (hashBits !== undefined && hashBits > 20) throw new UsageError(`--hash-bits must be at most 20, got ${hashBits}`);
    const file = await withStore(values.db!, { readonly: true }, async (store) => {
      const summaries = await findRuns(store, positionals);
      for (const summary of summaries) warnIfUnfinished('train-value', summary, 'the training data');
      const runs = summaries.map((summary) => summary.run);
      const total = summaries.reduce((n, summary) => n + summary.tasks, 0);
      const progress = values.json ? null : createProgress('reading trees', total);
      let done = 0;
      const fitted = await fitValueModel(store, runs, {
        hashBits, heldOut, unfinished, heuristicFeatures: !values['without-heuristic'], epochs: intOption('epochs', values.epochs, { min: 1 }), seed: intOption('seed', values.seed),
        onTask: () => progress?.update(++done),
      });
      progress?.finish();
      return fitted;
    });
    if (file.training.examples === 0) {
      // --unfinished failure (the default) already gives every leaf an outcome: then the trees hold no valid step at all.
      throw new UsageError('the runs hold no step with a Monte Carlo value to learn from', {
        hint: file.training.unfinished === 'ignore' ? 'search tasks to finished leaves first (e.g. --strategy bfs --width all), or drop --unfinished ignore' : 'train on runs whose trees hold valid steps (e.g. stepwise run <env> --strategy bfs --width all)',
      });
    }
    saveValueModel(values.output, file);
    const t = file.training;
    if (values.json) {
      console.log(JSON.stringify({ output: values.output, env: file.env, ...t, weights: file.model.weights.length }));
      return 0;
    }
    console.log(table(['', 'examples', 'tasks', 'MAE', 'RMSE', 'sibling order'], [
      ['train', t.examples, t.tasks, fixed(t.trainMae, 3), '', ''],
      ['held out', t.heldOut.examples, t.heldOut.tasks, fixed(t.heldOut.mae, 3), fixed(t.heldOut.rmse, 3), t.heldOut.siblingOrder === null ? '–' : `${(100 * t.heldOut.siblingOrder).toFixed(1)}%`],
      ['held out, predicting the mean', t.heldOut.examples, t.heldOut.tasks, fixed(t.heldOut.baselineMae, 3), fixed(t.heldOut.baselineRmse, 3), ''],
    ]));
    if (t.heldOut.tasks === 0 && heldOut !== 0) console.error(`note: no task was held out (${t.tasks} task(s); whole tasks are held out, picked by a hash of their id), so the model's error on unseen tasks is unknown: train on more tasks`);
    console.log(`\n${file.env} value model (logistic, ${file.model.weights.length} non-zero weights) written to ${values.output}.`);
    console.log(`Next: stepwise run ${file.env} --tasks … --strategy mcts --variant puct --scorer learned:${values.output}`);
    return 0;
  },
};
