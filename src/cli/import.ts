import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { readTextInput } from '../envs/registry.ts';
import { loadTotCsv } from '../envs/game24/tot-csv.ts';
import { importBfsEntry, importCotEntry } from '../import/tot-import.ts';
import { parseTotLog } from '../import/tot-log.ts';
import { writeImportedRun } from '../import/tot-records.ts';
import { totImportReport } from '../import/tot-report.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { dbFlag, defaultStore, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';
import { withStore } from './stored-runs.ts';
import { BENCHMARK_DATA_NOTE, table } from './format.ts';

export const importCommand: Command = {
  name: 'import',
  help: `Usage: stepwise import tot <log.json> [--csv <24.csv>] [--json] [--db <path>]

Reads a Tree-of-Thoughts Game of 24 log (its repository's logs/game24/ format):
  search (BFS) logs   {idx, steps:[{x, ys, new_ys, values, select_new_ys}], ys, infos}: one tree per
                      puzzle; each level's proposals become nodes with GPT-4's value as their score,
                      the ones ToT kept are marked selected
  sampling (CoT) logs {idx, ys, infos}: one branch per sample; the puzzle comes from 24.csv row idx
Every step and final answer is re-judged by stepwise's own Game of 24 verifier. The report gives
success the paper's way (any correct output per puzzle for search, the mean over samples for
sampling), how often stepwise's verdict agrees with the log's r, and where the first wrong
intermediate step falls. The run is recorded with origin kind "import"; credit and export work on it.

Options:
  --csv <file>   ToT's 24.csv, for sampling logs (default: 24.csv beside the log)
  --json         print the report as one JSON object
  --db <path>    store file or postgres:// URL (default $STEPWISE_DB, else ${DEFAULT_STORE_PATH})

Examples:
  stepwise import tot ../shared/data/tot/game24-tot-bfs-sample.json
  stepwise import tot ../shared/data/tot/game24-cot-sample.json --csv ../shared/data/tot/24.csv --json

${BENCHMARK_DATA_NOTE}`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('import', argv, {
      csv: { type: 'string' },
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: defaultStore() },
    });
    if (values.help) {
      console.log(importCommand.help);
      return 0;
    }
    const [source, path] = positionals;
    if (source !== 'tot') throw new UsageError(source ? `cannot import "${source}" logs` : 'what to import?', { hint: 'the one source understood is tot: stepwise import tot <log.json>' });
    if (!path) throw new UsageError('which log file?', { hint: 'e.g. stepwise import tot ../shared/data/tot/game24-tot-bfs-sample.json' });
    rejectExtraPositionals('import', positionals, 2);
    let json: unknown;
    try {
      json = JSON.parse(readTextInput(path));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new UsageError(`${path} is not JSON: ${error.message}`, { hint: 'pass a Tree of Thoughts log file (a JSON array)' });
    }
    const log = parseTotLog(json, path);
    let puzzles;
    if (log.kind === 'bfs') puzzles = log.entries.map(importBfsEntry);
    else {
      const csv = values.csv ?? join(dirname(path), '24.csv');
      if (!existsSync(csv)) throw new UsageError(`a sampling log names puzzles by their row in ToT's 24.csv, and ${csv} does not exist`, { hint: 'pass --csv <path to 24.csv>' });
      const rows = new Map(loadTotCsv(csv).map((task) => [task.id, task.spec.numbers]));
      puzzles = log.entries.map((entry) => {
        const numbers = rows.get(`tot-${entry.idx}`);
        if (!numbers) throw new UsageError(`${path}: entry idx ${entry.idx} is not a row of ${csv} (${rows.size} rows)`, { hint: 'pass the 24.csv the log was made from with --csv' });
        return importCotEntry(entry, numbers);
      });
    }
    const report = totImportReport(log.kind, puzzles);
    const imported = await withStore(values.db!, {}, async (store) => {
      const written = writeImportedRun(store, log.kind, path, puzzles);
      await store.flush();
      return written;
    });
    if (values.json) {
      console.log(JSON.stringify({ runId: imported.runId, db: values.db, nodes: imported.nodes, ...report }));
      return 0;
    }
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(`imported ${path}: ToT ${log.kind === 'bfs' ? 'breadth-first search' : 'chain-of-thought sampling'} log, ${report.puzzles} puzzles, ${report.outputs} final outputs, ${imported.nodes} nodes → run ${imported.runId}\n`);
    console.log(table(['', 'stepwise verifier', "log's r"], [
      [`success (${report.success.measure})`, pct(report.success.stepwise), pct(report.success.log)],
      ['correct final outputs', puzzles.flatMap((p) => p.outputs).filter((o) => o.correct).length, puzzles.flatMap((p) => p.outputs).filter((o) => o.logCorrect).length],
    ]));
    console.log(`\nagreement with the log's r: ${report.agreement.agree}/${report.agreement.total}`);
    for (const d of report.disagreements) console.log(`  ${d.taskId} output ${d.output}: log says ${d.log ? 'correct' : 'wrong'}, stepwise ${d.stepwise ? 'correct' : `wrong (${d.reason})`}`);
    const wrong = Object.entries(report.firstWrongStep);
    console.log(`first wrong intermediate step (final outputs): ${wrong.length ? wrong.map(([step, n]) => `step ${step}: ${n}`).join(', ') : 'none'}; ${report.correctAndValidSteps} correct with every step valid, ${report.correctDespiteWrongStep} correct despite a wrong step`);
    console.log(`step nodes judged: ${report.stepNodes}, invalid: ${report.invalidStepNodes}${report.roundedStepNodes > 0 ? `, valid with a rounded decimal read as its exact number: ${report.roundedStepNodes}` : ''}`);
    console.log(`\nNext: stepwise credit ${imported.runId}${dbFlag(values.db!)}   ·   stepwise show ${imported.runId} --task ${puzzles[0]?.taskId ?? '<task>'}${dbFlag(values.db!)}`);
    return 0;
  },
};
