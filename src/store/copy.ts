import { createHash } from 'node:crypto';
import { StoreError } from '../core/errors.ts';
import { annotationTarget } from './annotations.ts';
import type { StoreRecord } from './records.ts';
import type { Store } from './store.ts';

/** Every record of one run as a store holds it now, in one order every backend gives: the run's content. */
export async function readRunRecords(store: Store, runId: string): Promise<StoreRecord[]> {
  const summary = await store.getRun(runId);
  const records: StoreRecord[] = [summary.run];
  const tasks = await store.getTasks(runId);
  records.push(...tasks);
  for (const task of tasks) {
    const tree = await store.getTree(runId, task.taskId);
    records.push(...tree.nodes, ...tree.candidates, ...tree.stats.values());
  }
  // All calls in the order made (not per task): the first servable call of a hash must stay first in the copy.
  records.push(...(await store.getModelCalls(runId)));
  records.push(...summary.results, ...(await store.getAnnotations(runId)));
  if (summary.end) records.push(summary.end);
  return records;
}

/** JSON with object keys sorted, so equal records hash alike whichever backend read them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, field]) => field !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a run holds: records per type and the sha256 of all of them in `readRunRecords` order. */
export interface RunContent {
  runId: string;
  records: number;
  counts: Partial<Record<StoreRecord['type'], number>>;
  sha256: string;
}

export function runContent(runId: string, records: readonly StoreRecord[]): RunContent {
  const hash = createHash('sha256');
  const counts: Partial<Record<StoreRecord['type'], number>> = {};
  for (const record of records) {
    hash.update(canonicalJson(record)).update('\n');
    counts[record.type] = (counts[record.type] ?? 0) + 1;
  }
  return { runId, records: records.length, counts, sha256: hash.digest('hex') };
}

/** Identity of a record within its run: a later record with the same identity is the same record or replaces it. */
function identityOf(record: StoreRecord): string {
  switch (record.type) {
    case 'run': return 'run';
    case 'task': return `task ${record.taskId}`;
    case 'node': case 'candidate': case 'model_call': return `${record.type} ${record.id}`;
    case 'node_stats': return `node_stats ${record.nodeId}`;
    case 'task_result': return `task_result ${record.taskId}`;
    case 'run_end': return 'run_end';
    case 'annotation': return `annotation ${record.kind} ${annotationTarget(record)} ${record.key}`;
    default: return 'unknown';
  }
}

// Records a store replaces in place when a later one arrives; any other kind is written once.
const REPLACEABLE = new Set<StoreRecord['type']>(['node_stats', 'task_result', 'run_end', 'annotation']);

export interface RunCopy {
  source: RunContent;
  /** Records appended to the target: 0 when it already held the run as it is. */
  appended: number;
}

/**
 * Copies one run into `to`: only what it lacks (a run copied before, or copied while it was still running, gets its
 * missing and replaced records), then reads the copy back and checks its counts and hash against the source.
 * Throws StoreError when the target holds a different record under one of the run's ids.
 */
export async function copyRun(from: Store, to: Store, runId: string): Promise<RunCopy> {
  const records = await readRunRecords(from, runId);
  const source = runContent(runId, records);
  const present = new Map<string, string>();
  if ((await to.listRuns({ idPrefix: runId })).some((summary) => summary.run.id === runId)) {
    const held = await readRunRecords(to, runId);
    if (runContent(runId, held).sha256 === source.sha256) return { source, appended: 0 };
    for (const record of held) present.set(identityOf(record), canonicalJson(record));
  }
  let appended = 0;
  for (const record of records) {
    const held = present.get(identityOf(record));
    if (held === canonicalJson(record)) continue;
    if (held !== undefined && !REPLACEABLE.has(record.type)) {
      throw new StoreError(`${to.location} already holds a different ${identityOf(record)} in run ${runId}; copying would mix two runs.`, {
        hint: 'Copy the run into another store, or remove the target\'s run first.',
      });
    }
    to.append(record);
    appended++;
  }
  await to.flush();
  const copied = runContent(runId, await readRunRecords(to, runId));
  if (copied.sha256 !== source.sha256) {
    const counts = (content: RunContent) => JSON.stringify(content.counts);
    throw new StoreError(`The copy of run ${runId} in ${to.location} does not match its source: ${copied.records} records ${counts(copied)} (sha256 ${copied.sha256.slice(0, 12)}) against ${source.records} ${counts(source)} (sha256 ${source.sha256.slice(0, 12)}).`, {
      hint: 'Run the copy again; if it still differs, the target holds records of this run that the source does not.',
    });
  }
  return { source, appended };
}
