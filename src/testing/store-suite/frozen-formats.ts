import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { STORE_FORMAT_VERSION } from '../../store/records.ts';
import type { ModelCallRecord, NodeStatsRecord, StoreRecord } from '../../store/records.ts';
import type { Store } from '../../store/store.ts';
import { withStore } from './with-store.ts';
import type { OpenStore } from './with-store.ts';

/** Every format version there has been: each has a frozen record set, and SQLite a frozen file (test/store/fixtures). */
export const FROZEN_FORMAT_VERSIONS = Array.from({ length: STORE_FORMAT_VERSION }, (_, i) => i + 1);

/** The records frozen with format `version`: what a run of that format recorded, in append order. */
export function frozenFormatRecords(version: number): StoreRecord[] {
  const url = new URL(`./fixtures/format-v${version}.records.json`, import.meta.url);
  assert.ok(existsSync(url), `no frozen records for format ${version}: write them (see format-v1.records.json) when bumping STORE_FORMAT_VERSION`);
  return JSON.parse(readFileSync(url, 'utf8')) as StoreRecord[];
}

function ofType<T extends StoreRecord['type']>(records: StoreRecord[], type: T): Extract<StoreRecord, { type: T }>[] {
  return records.filter((record): record is Extract<StoreRecord, { type: T }> => record.type === type);
}

/** Every record of a frozen record set's (single) run reads back as listed, and its successful sent calls answer the cache. */
export async function assertStoreHolds(store: Store, records: StoreRecord[]): Promise<void> {
  const [run] = ofType(records, 'run');
  const summary = await store.getRun(run.id);
  assert.deepEqual(summary.run, run);
  assert.deepEqual(summary.end, ofType(records, 'run_end')[0] ?? null);
  assert.deepEqual(summary.results, ofType(records, 'task_result'));
  assert.deepEqual(await store.getTasks(run.id), ofType(records, 'task'));
  const lastStats = new Map<string, NodeStatsRecord>(ofType(records, 'node_stats').map((stats) => [stats.nodeId, stats]));
  for (const task of ofType(records, 'task')) {
    const tree = await store.getTree(run.id, task.taskId);
    const nodes = ofType(records, 'node').filter((node) => node.taskId === task.taskId);
    assert.deepEqual(tree.nodes, nodes);
    assert.deepEqual(tree.candidates, ofType(records, 'candidate').filter((candidate) => candidate.taskId === task.taskId));
    assert.deepEqual(tree.result, ofType(records, 'task_result').find((result) => result.taskId === task.taskId) ?? null);
    assert.deepEqual([...tree.stats.values()], nodes.flatMap((node) => lastStats.get(node.id) ?? []));
    assert.deepEqual(tree.modelCalls, ofType(records, 'model_call').filter((call) => call.taskId === task.taskId));
  }
  const calls = ofType(records, 'model_call');
  assert.deepEqual(await store.getModelCalls(run.id), calls);
  for (const hash of new Set(calls.map((call) => call.requestHash))) {
    const servable = calls.find((call: ModelCallRecord) => call.requestHash === hash && !call.cacheHit && call.error === null);
    assert.deepEqual(await store.findModelCall(hash), servable ?? null, `request ${hash}`);
  }
  assert.equal(await store.findModelCall('no-such-request'), null);
  assert.deepEqual(await store.getAnnotations(run.id), ofType(records, 'annotation'));
}

/** Records of every past format, appended today, read back whole: a backend keeps what older stepwise recorded (store copy, imports). */
export function describeFrozenFormats(open: OpenStore): void {
  for (const version of FROZEN_FORMAT_VERSIONS) {
    test(`the frozen format-${version} records read back whole`, () => withStore(open, async (store) => {
      const records = frozenFormatRecords(version);
      for (const record of records) store.append(record);
      await store.flush();
      await assertStoreHolds(store, records);
    }));
  }
}
