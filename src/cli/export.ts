import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { UsageError } from '../core/errors.ts';
import { exportFormats } from '../export/formats.ts';
import { ensurePlugins } from '../registry/load.ts';
import type { ExportOptions } from '../export/format.ts';
import { exportRun } from '../export/source.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import { defaultStore, parseCommandArgs, type Command } from './args.ts';
import { table } from './format.ts';
import { createProgress } from './progress.ts';
import { exportRunAsOtel, otlpTracesUrl } from '../otel/index.ts';
import { findRuns, warnIfUnfinished, warnOfUnreadJournal } from './stored-runs.ts';

export const exportCommand: Command = {
  name: 'export',
  // A getter: plug-ins loaded before the command add formats to it.
  get help() {
    return `Usage: stepwise export <run…> --format <name> [-o <file>] [--env <name>] [--success-only] [--min-gap <v>] [--json] [--db <path>]
       stepwise export <run…> --format otel --endpoint <url>

Formats:
${exportFormats.entries().map((f) => `  ${f.name.padEnd(8)} ${f.describe}`).join('\n')}
  otel     the trees as OpenTelemetry traces (GenAI conventions: invoke_agent per task, a span per step,
           execute_tool for tool actions, chat {model} per model call) sent to --endpoint over OTLP/HTTP

Prompts are rebuilt with the built-in propose templates (src/prompts/builtin), so pairs read as the model saw
them. Credit values come from \`stepwise credit\` when it ran, else they are computed on the fly.

Options:
  --format <name>     ${exportFormats.names().join(' | ')} (required)
  -o, --output <file> write there (default: standard output; the size report then goes to stderr)
  --env <name>        only runs of this environment
  --success-only      only tasks the run solved
  --min-gap <v>       dpo: only pairs whose chosen and rejected values differ by at least v (default 0: any non-tie)
  --json              print the size report as one JSON object
  --endpoint <url>    otel: the collector's OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318
  --db <path>         store file or postgres:// URL (default $STEPWISE_DB, else ${DEFAULT_STORE_PATH})
  --plugin <file|package>  load a plug-in (its formats; runs of its environments load it by themselves)

Examples:
  stepwise export latest --format dpo -o pairs.jsonl
  stepwise export r1a2b3 r4c5d6 --format prm --env game24 --success-only -o prm.jsonl
  stepwise export latest --format jsonl | head -1
  stepwise export latest --format otel --endpoint http://127.0.0.1:4318`;
  },
  async run(argv) {
    const { values, positionals } = parseCommandArgs('export', argv, {
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      env: { type: 'string' },
      'success-only': { type: 'boolean', default: false },
      'min-gap': { type: 'string' },
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: defaultStore() },
      endpoint: { type: 'string' },
    });
    if (values.help) {
      console.log(exportCommand.help);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('which runs?', { hint: 'pass one or more run ids from `stepwise runs`, or "latest"' });
    if (values.format === OTEL_FORMAT) return exportOtel(positionals, values.endpoint, values.db!, values.json!);
    if (values.endpoint !== undefined) throw new UsageError(`--endpoint applies to --format ${OTEL_FORMAT} only`, { hint: 'file formats are written to -o <file> or standard output' });
    if (!values.format) throw new UsageError(`--format is required: one of ${exportFormats.names().join(', ')}`, { hint: 'e.g. stepwise export latest --format dpo -o pairs.jsonl' });
    if (!exportFormats.has(values.format)) throw new UsageError(`unknown export format "${values.format}"`, { hint: `choose one of: ${exportFormats.names().join(', ')}` });
    const format = exportFormats.create(values.format, {}, undefined);
    const minGapText = values['min-gap'];
    if (minGapText !== undefined && !format.reads?.includes('minGap')) {
      throw new UsageError(`--min-gap does not apply to --format ${format.name}`, { hint: `formats that read it: ${exportFormats.entries().map((entry) => entry.create({}, undefined)).filter((f) => f.reads?.includes('minGap')).map((f) => f.name).join(', ')}` });
    }
    const minGap = minGapText === undefined ? 0 : Number(minGapText);
    if (minGapText !== undefined && (minGapText.trim() === '' || !Number.isFinite(minGap) || minGap < 0)) {
      throw new UsageError(`--min-gap must be a number >= 0, such as 0.2; got "${minGapText}"`);
    }
    const options: ExportOptions = { successOnly: values['success-only']!, minGap };
    const store = openStore(values.db!, { readonly: true });
    warnOfUnreadJournal(values.db!);
    const report: { runId: string; env: string; tasks: number; records: number; bytes: number; skipped?: string }[] = [];
    let out: NodeJS.WritableStream | WriteStream = process.stdout;
    // A reader that stops early (`| head`) closes the pipe: stop writing instead of crashing.
    let closed = false;
    const onPipeError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closed = true;
    };
    process.stdout.on('error', onPipeError);
    try {
      const runs = await findRuns(store, positionals);
      if (values.output) {
        out = createWriteStream(values.output);
        // `once` rejects with the stream's error when it fails before opening (a missing folder, no permission).
        await once(out, 'open').catch((error: Error) => {
          throw new UsageError(`cannot write ${values.output}: ${error.message}`, { hint: 'pass -o <file> in a folder that exists and is writable' });
        });
      }
      for (const summary of runs) {
        const { run } = summary;
        if (values.env && run.env.name !== values.env) {
          report.push({ runId: run.id, env: run.env.name, tasks: 0, records: 0, bytes: 0, skipped: `env is ${run.env.name}, not ${values.env}` });
          continue;
        }
        const skipped = format.skipReason?.(run);
        if (skipped) {
          report.push({ runId: run.id, env: run.env.name, tasks: 0, records: 0, bytes: 0, skipped });
          continue;
        }
        warnIfUnfinished('export', summary, 'the export');
        // A run of a plug-in's environment loads the plug-in again to rebuild its prompts.
        await ensurePlugins(run.provenance?.recipe?.plugins, `run ${run.id}`);
        const progress = values.output && summary.tasks >= 20 ? createProgress(`export ${run.id}`, summary.tasks) : null;
        let seen = 0;
        const row = { runId: run.id, env: run.env.name, tasks: 0, records: 0, bytes: 0 };
        const tasksWithRecords = new Set<string>();
        for await (const record of format.records(exportRun(store, run, options, () => progress?.update(++seen)), options)) {
          const line = `${JSON.stringify(record)}\n`;
          row.records++;
          row.bytes += Buffer.byteLength(line);
          const taskId = (record as { meta?: { taskId?: string }; taskId?: string }).meta?.taskId ?? (record as { taskId?: string }).taskId;
          if (taskId) tasksWithRecords.add(taskId);
          if (closed) break;
          let flowing = true;
          try {
            flowing = out.write(line);
          } catch (error) {
            onPipeError(error as NodeJS.ErrnoException);
          }
          if (!flowing && !closed) await drained(out);
        }
        row.tasks = tasksWithRecords.size;
        progress?.finish();
        report.push(row);
      }
    } finally {
      if (out !== process.stdout) await new Promise<void>((resolve) => (out as WriteStream).end(resolve));
      await store.close();
    }
    const total = { records: report.reduce((s, r) => s + r.records, 0), bytes: report.reduce((s, r) => s + r.bytes, 0) };
    const print = values.output ? (text: string) => console.log(text) : (text: string) => console.error(text);
    if (values.json) {
      print(JSON.stringify({ format: format.name, output: values.output ?? null, ...total, runs: report }));
    } else {
      print(table(['run', 'env', 'tasks with records', 'records', 'bytes', 'note'], report.map((r) => [r.runId, r.env, r.tasks, r.records, r.bytes, r.skipped ?? ''])));
      print(`\n${format.name}: ${total.records} records, ${formatBytes(total.bytes)}${values.output ? ` written to ${values.output}` : ''}`);
    }
    if (total.records === 0) {
      console.error(report.every((r) => r.skipped)
        ? 'nothing exported: every run was skipped (see the note column)'
        : 'nothing exported: check the filters (--env, --success-only, --min-gap) and that the runs have finished trajectories');
    }
    return 0;
  },
};

/** Not a file format: the trees go to a collector over the network. */
const OTEL_FORMAT = 'otel';

async function exportOtel(runRefs: string[], endpoint: string | undefined, db: string, json: boolean): Promise<number> {
  if (!endpoint) throw new UsageError('--format otel needs --endpoint: the OTLP/HTTP collector to send the traces to', { hint: 'e.g. stepwise export latest --format otel --endpoint http://127.0.0.1:4318' });
  otlpTracesUrl(endpoint);
  const store = openStore(db, { readonly: true });
  const rows: { runId: string; tasks: number; spans: number }[] = [];
  try {
    for (const summary of await findRuns(store, runRefs)) {
      warnIfUnfinished('export', summary, 'the export');
      const progress = summary.tasks >= 20 ? createProgress(`otel ${summary.run.id}`, summary.tasks) : null;
      const sent = await exportRunAsOtel(store, summary.run, { endpoint, onTask: (done) => progress?.update(done) });
      progress?.finish();
      rows.push({ runId: summary.run.id, ...sent });
    }
  } finally {
    await store.close();
  }
  const url = otlpTracesUrl(endpoint);
  if (json) console.log(JSON.stringify({ format: OTEL_FORMAT, endpoint: url, runs: rows }));
  else {
    console.log(table(['run', 'tasks (traces)', 'spans'], rows.map((r) => [r.runId, r.tasks, r.spans])));
    console.log(`\notel: ${rows.reduce((s, r) => s + r.spans, 0)} spans sent to ${url}`);
  }
  return 0;
}

/** Resolves when the stream can take more, or will never (closed, or failed: the error handler has seen it). */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    out.on('drain', done).on('close', done).on('error', done);
  });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
