import type { NodeRecord, NodeStatsRecord, RunRecord, TaskRecord } from '../../src/store/records.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';

/** The run and task a crash-test writer records before its endless loop. */
export function crashRunHeader(runId: string): [RunRecord, TaskRecord] {
  const sample = sampleRun(runId, { taskCount: 1, nodesPerTask: 0 });
  return [sample.run, sample.tasks[0]];
}

/** Node `i` of the crash-test loop: a chain, each node the child of the one before. */
export function crashNode(runId: string, i: number): NodeRecord {
  return {
    type: 'node', runId, taskId: 'task-0', id: `${runId}.${i}`, parentId: i === 0 ? null : `${runId}.${i - 1}`, depth: i,
    action: i === 0 ? null : { step: i }, actionText: i === 0 ? null : `step ${i}`, candidateId: null,
    state: { counter: i, padding: 'x'.repeat(i % 50) }, stateKey: String(i), observation: `reached ${i}`, reward: 0,
    check: { valid: true }, terminal: false, success: false, duplicateOf: null, createdAt: 1_700_000_000_000 + i,
  };
}

/** The stats update the loop appends right after node `i`. */
export function crashStats(runId: string, i: number): NodeStatsRecord {
  return { type: 'node_stats', runId, nodeId: `${runId}.${i}`, visits: i + 1, value: i / 2, selected: true, pruned: null };
}
