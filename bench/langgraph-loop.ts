// LangGraph.js running the same trivial linear loop as stepwise's benchmark (1), to compare framework overhead per step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, END, MemorySaver, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { collectGarbage, timeAsync } from './harness.ts';

export type LangGraphCheckpointer = 'memory' | 'sqlite' | 'postgres';

/** LangGraph's own choice of when a step's checkpoint is written: while the next step runs ('async', its default) or before it ('sync'). */
export type LangGraphDurability = 'async' | 'sync';

export type LangGraphLoopOptions = {
  steps: number;
  checkpointer: LangGraphCheckpointer;
  /** SQLite file to write the thread into (kept); a fresh temp file, deleted afterwards, when absent. */
  dbPath?: string;
  /** The database PostgresSaver writes into (checkpointer 'postgres'); its tables are set up before timing. */
  postgresUrl?: string;
  durability?: LangGraphDurability;
  /** Steps of the untimed warm-up run on a throwaway checkpointer; 0 skips it. */
  warmUpSteps?: number;
};

export type LangGraphLoopResult = {
  steps: number;
  wallMs: number;
  perStepUs: number;
  /** Checkpoints LangGraph saved for the timed thread (steps + input + first), read back from the saver. */
  checkpointsSaved: number;
};

const LoopState = Annotation.Root({ count: Annotation<number> });

/** Runs a one-node StateGraph that increments a counter and loops back `steps` times, timing only the invoke. */
export async function runLangGraphLoop(options: LangGraphLoopOptions): Promise<LangGraphLoopResult> {
  const { steps, checkpointer } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps was ${steps}; expected a positive whole number.`);
  const durability = options.durability ?? 'async';
  const warmUpSteps = options.warmUpSteps ?? Math.min(steps, 200);
  if (checkpointer === 'postgres' && options.postgresUrl === undefined) throw new Error("The 'postgres' checkpointer needs postgresUrl.");
  if (warmUpSteps > 0) await runOnce({ steps: warmUpSteps, checkpointer, durability, postgresUrl: options.postgresUrl });
  return runOnce({ steps, checkpointer, durability, dbPath: options.dbPath, postgresUrl: options.postgresUrl });
}

async function runOnce(options: { steps: number; checkpointer: LangGraphCheckpointer; durability: LangGraphDurability; dbPath?: string; postgresUrl?: string }): Promise<LangGraphLoopResult> {
  const { steps, checkpointer, durability } = options;
  const scratchDir = options.dbPath === undefined && checkpointer === 'sqlite' ? mkdtempSync(join(tmpdir(), 'stepwise-bench-langgraph-')) : undefined;
  const dbPath = options.dbPath ?? (scratchDir === undefined ? undefined : join(scratchDir, 'checkpoints.db'));
  const saver = checkpointer === 'sqlite' ? SqliteSaver.fromConnString(dbPath!) : checkpointer === 'postgres' ? PostgresSaver.fromConnString(options.postgresUrl!) : new MemorySaver();
  if (saver instanceof PostgresSaver) await saver.setup();
  const threadConfig = { configurable: { thread_id: `loop-${steps}-${process.hrtime.bigint()}` } };
  try {
    const graph = buildLoopGraph(steps).compile({ checkpointer: saver });
    // Creates the SQLite tables now, so schema setup is not counted as step overhead.
    await saver.getTuple(threadConfig);
    collectGarbage();
    const { result: finalState, wallMs } = await timeAsync(() =>
      graph.invoke({ count: 0 }, { ...threadConfig, recursionLimit: steps + 10, durability }),
    );
    if (finalState.count !== steps) throw new Error(`LangGraph loop ended with count ${finalState.count}; expected ${steps}.`);
    const checkpointsSaved = await countCheckpoints(saver, threadConfig);
    if (checkpointsSaved < steps) throw new Error(`LangGraph saved ${checkpointsSaved} checkpoints for ${steps} steps; expected one per step at least.`);
    if (saver instanceof SqliteSaver) await assertPersistedCount(saver, dbPath!, threadConfig, steps, checkpointsSaved);
    return { steps, wallMs, perStepUs: (wallMs * 1000) / steps, checkpointsSaved };
  } finally {
    if (saver instanceof SqliteSaver && saver.db.open) saver.db.close();
    if (saver instanceof PostgresSaver) await saver.end();
    if (scratchDir !== undefined) rmSync(scratchDir, { recursive: true, force: true });
  }
}

function buildLoopGraph(steps: number) {
  return new StateGraph(LoopState)
    .addNode('increment', (state: typeof LoopState.State) => ({ count: state.count + 1 }))
    .addEdge(START, 'increment')
    .addConditionalEdges('increment', (state: typeof LoopState.State) => (state.count < steps ? 'increment' : END));
}

async function countCheckpoints(saver: BaseCheckpointSaver, threadConfig: { configurable: { thread_id: string } }): Promise<number> {
  if (saver instanceof SqliteSaver) {
    const row = saver.db.prepare('SELECT count(*) AS n FROM checkpoints WHERE thread_id = ?').get(threadConfig.configurable.thread_id) as { n: number };
    return row.n;
  }
  let count = 0;
  for await (const _tuple of saver.list(threadConfig)) count += 1;
  return count;
}

// Reopens the file with a second connection: the checkpoints must be on disk, not only in the writer's cache.
async function assertPersistedCount(
  writer: SqliteSaver,
  dbPath: string,
  threadConfig: { configurable: { thread_id: string } },
  steps: number,
  checkpointsSaved: number,
): Promise<void> {
  writer.db.close();
  const reader = SqliteSaver.fromConnString(dbPath);
  try {
    const reread = await countCheckpoints(reader, threadConfig);
    const latest = await reader.getTuple(threadConfig);
    const persistedCount = (latest?.checkpoint.channel_values as { count?: number } | undefined)?.count;
    if (reread !== checkpointsSaved || persistedCount !== steps) {
      throw new Error(`SQLite file ${dbPath} holds ${reread} checkpoints ending at count ${persistedCount}; expected ${checkpointsSaved} ending at ${steps}.`);
    }
  } finally {
    reader.db.close();
  }
}
