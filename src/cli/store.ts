import { UsageError } from '../core/errors.ts';
import { copyRun, type RunCopy } from '../store/copy.ts';
import { STORE_URL_FORMS } from '../store/index.ts';
import { parseCommandArgs, rejectExtraPositionals, storeLabel, type Command } from './args.ts';
import { createProgress } from './progress.ts';
import { withStore } from './stored-runs.ts';
import { table } from './format.ts';

const HELP = `Usage: stepwise store copy <from> <to> [--run <id>]... [--json]

Copies runs from one store to another, any backend to any: push a laptop run to the team's
Postgres store, or pull a team run into a file for offline work. Each store is ${STORE_URL_FORMS.join(', ')}.
Every copied run is read back and checked against its source (record counts and a sha256 of
its records, printed). Copying again is harmless: runs already there are skipped, and a run
copied while it was still going gets only what it lacks.

Options:
  --run <id>   copy this run (an id, a unique prefix, or "latest"); repeat for more. Default: every run
  --json       print the copied runs as JSON

Examples:
  stepwise store copy .stepwise/traces.db postgres://postgres@127.0.0.1:5432/stepwise --run latest
  stepwise store copy postgres://postgres@127.0.0.1:5432/stepwise team-runs.db`;

export const storeCommand: Command = {
  name: 'store',
  help: HELP,
  async run(argv) {
    const [action, ...rest] = argv;
    if (action === undefined || action === '--help' || action === '-h') {
      console.log(HELP);
      return 0;
    }
    if (action !== 'copy') throw new UsageError(`unknown store action "${action}"`, { hint: 'the one action is `stepwise store copy <from> <to>`; see `stepwise store --help`' });
    const { values, positionals } = parseCommandArgs('store copy', rest, {
      run: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [fromUrl, toUrl] = positionals;
    if (fromUrl === undefined || toUrl === undefined) throw new UsageError('store copy needs two stores: <from> <to>', { hint: 'e.g. stepwise store copy .stepwise/traces.db postgres://postgres@127.0.0.1:5432/stepwise' });
    rejectExtraPositionals('store copy', positionals, 2);
    if (fromUrl === toUrl) throw new UsageError(`<from> and <to> are the same store (${storeLabel(fromUrl)})`, { hint: 'name the store to copy into as the second argument' });
    const copies = await withStore(fromUrl, { readonly: true }, (from) => withStore(toUrl, {}, async (to) => {
      const runIds = values.run?.length
        ? [...new Set(await Promise.all(values.run.map(async (ref) => (await from.getRun(ref)).run.id)))]
        : (await from.listRuns()).map((summary) => summary.run.id).reverse(); // Oldest first, so the copy lists them in the same order.
      const progress = createProgress(`copying ${runIds.length} run(s) to ${to.location}`, runIds.length);
      const done: RunCopy[] = [];
      for (const runId of runIds) {
        progress.update(done.length, runId);
        done.push(await copyRun(from, to, runId));
      }
      progress.update(done.length);
      progress.finish();
      return done;
    }));
    if (values.json) {
      console.log(JSON.stringify(copies.map(({ source, appended }) => ({ ...source, appended }))));
      return 0;
    }
    console.log(table(['run', 'records', 'appended', 'nodes', 'model calls', 'sha256'], copies.map(({ source, appended }) => [
      source.runId, String(source.records), appended === 0 ? 'already there' : String(appended), String(source.counts.node ?? 0),
      String(source.counts.model_call ?? 0), source.sha256.slice(0, 16),
    ])));
    const appended = copies.filter((copy) => copy.appended > 0).length;
    console.log(`${copies.length} run(s) verified in ${storeLabel(toUrl)} (counts and sha256 match the source); ${appended} copied, ${copies.length - appended} already there.`);
    return 0;
  },
};
