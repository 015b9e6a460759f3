// LangGraph.js's overhead per step on its own, so the comparison figure in benchmark (1) can be checked in isolation.
import { printSummary, printTable, readBenchOptions, repeatMeasure } from './harness.ts';
import { loadLangGraphLoop } from './load-langgraph.ts';
import type { LangGraphCheckpointer, LangGraphDurability } from './langgraph-loop.ts';

const USAGE = `Usage: node bench/langgraph-only.ts [--steps N] [--reps N]

Times a one-node LangGraph.js StateGraph looping N steps (a counter increment per step)
with MemorySaver and with SqliteSaver (a temp file), each checkpointing mode, and prints
the median overhead per step. Needs \`bash bench/setup.sh\` once.

  --steps N   steps per run (default 1000)
  --reps N    timed runs per configuration; the median is reported (default 5)

Example: node bench/langgraph-only.ts --steps 1000 --reps 5`;

const CONFIGURATIONS: ReadonlyArray<{ checkpointer: LangGraphCheckpointer; durability: LangGraphDurability }> = [
  { checkpointer: 'memory', durability: 'async' },
  { checkpointer: 'sqlite', durability: 'async' },
  { checkpointer: 'memory', durability: 'sync' },
  { checkpointer: 'sqlite', durability: 'sync' },
];

const { steps, reps } = readBenchOptions(process.argv.slice(2), USAGE, { steps: 1000, reps: 5 });
const { runLangGraphLoop } = await loadLangGraphLoop();

const rows: Array<Record<string, string | number>> = [];
const summary: Record<string, number> = { steps, reps };
for (const { checkpointer, durability } of CONFIGURATIONS) {
  let checkpointsSaved = 0;
  const perStepUs = await repeatMeasure(`langgraph ${checkpointer}/${durability}`, reps, async () => {
    const result = await runLangGraphLoop({ steps, checkpointer, durability });
    checkpointsSaved = result.checkpointsSaved;
    return result.perStepUs;
  });
  rows.push({
    checkpointer,
    durability,
    'median µs/step': perStepUs.median,
    'min µs/step': perStepUs.min,
    'max µs/step': perStepUs.max,
    'median ms/run': (perStepUs.median * steps) / 1000,
    checkpoints: checkpointsSaved,
  });
  summary[`${checkpointer}${durability === 'sync' ? 'Sync' : ''}PerStepUs`] = Number(perStepUs.median.toFixed(1));
}

printTable(`LangGraph.js ${steps}-step loop, median of ${reps} runs (Node ${process.versions.node})`, rows);
printSummary('langgraph-loop', summary);
