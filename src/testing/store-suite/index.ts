import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StoreError } from '../../core/errors.ts';
import type { RunSummary } from '../../store/records.ts';
import type { Store } from '../../store/store.ts';
import { describeAnnotationBehaviour } from './annotations.ts';
import { describeModelCallBehaviour } from './model-calls.ts';
import { describeViewerReadBehaviour } from './viewer-reads.ts';
import { expectedStats, sampleRun } from './sample-run.ts';
import type { SampleRun } from './sample-run.ts';
import { appendAll, withStore } from './with-store.ts';
import type { OpenStore } from './with-store.ts';
import { describeFrozenFormats } from './frozen-formats.ts';
import { describeLeaseBehaviour } from './leases.ts';

function summaryOf(sample: SampleRun): RunSummary {
  return { run: sample.run, end: sample.end, tasks: sample.tasks.length, results: sample.results };
}

export type { OpenStore } from './with-store.ts';
export { sampleModelCall, sampleRun, type SampleRun, type SampleRunOptions } from './sample-run.ts';

/**
 * The observable contract of a Store, as `node:test` tests: every backend runs it (memory, SQLite, Postgres, yours).
 * `open` gives a fresh, empty store each call. Call it at the top level of a test file.
 */
export function storeBehaviourSuite(backend: string, open: OpenStore): void {
  describe(`${backend} store behaviour`, () => {
    test('reads back every record of a run exactly as appended', () => withStore(open, async (store) => {
      const full = sampleRun('run-full', { startedAt: '2025-01-01T00:00:00.000Z' });
      const minimal = sampleRun('run-minimal', { startedAt: '2025-01-02T00:00:00.000Z', taskCount: 1, minimal: true });
      appendAll(store, full);
      appendAll(store, minimal);
      await store.flush();

      assert.deepEqual(await store.listRuns(), [summaryOf(minimal), summaryOf(full)]);
      assert.deepEqual(await store.getTasks('run-full'), full.tasks);
      for (const sample of [full, minimal]) {
        for (const task of sample.tasks) {
          const tree = await store.getTree(sample.run.id, task.taskId);
          assert.deepEqual(tree.task, task);
          assert.deepEqual(tree.result, sample.results.find((result) => result.taskId === task.taskId));
          assert.deepEqual(tree.nodes, sample.nodes.filter((node) => node.taskId === task.taskId));
          assert.deepEqual(tree.candidates, sample.candidates.filter((candidate) => candidate.taskId === task.taskId));
          assert.deepEqual(tree.stats, expectedStats(sample, task.taskId));
          assert.deepEqual(tree.modelCalls, sample.modelCalls.filter((call) => call.taskId === task.taskId));
        }
      }
      // Optional fields that were left out stay absent rather than coming back as undefined or null.
      const minimalRun = (await store.getRun('run-minimal')).run;
      assert.equal('tags' in minimalRun, false);
      assert.equal('provenance' in minimalRun, false);
      assert.equal('origin' in minimalRun, false);
      assert.equal('config' in minimalRun.proposer, false);
      assert.equal('meta' in (await store.getTasks('run-minimal'))[0], false);
    }));

    test('lists runs newest first, honours the limit, and counts tasks of unfinished runs', () => withStore(open, async (store) => {
      const older = sampleRun('older', { startedAt: '2025-03-01T00:00:00.000Z' });
      const newer = sampleRun('newer', { startedAt: '2025-03-02T00:00:00.000Z', taskCount: 3 });
      appendAll(store, newer);
      appendAll(store, older);
      store.append({ ...sampleRun('unfinished').run, startedAt: '2025-02-01T00:00:00.000Z' });
      store.append(sampleRun('unfinished').tasks[0]);
      const runs = await store.listRuns();
      assert.deepEqual(runs.map((summary) => summary.run.id), ['newer', 'older', 'unfinished']);
      assert.deepEqual(runs.map((summary) => summary.tasks), [3, 2, 1]);
      assert.deepEqual(runs[2].end, null);
      assert.deepEqual(runs[2].results, []);
      assert.deepEqual((await store.listRuns({ limit: 2 })).map((summary) => summary.run.id), ['newer', 'older']);
      assert.deepEqual(await store.listRuns({ limit: 0 }), []);
    }));

    test('runs started at the same instant list the later-appended one first', () => withStore(open, async (store) => {
      store.append(sampleRun('first').run);
      store.append(sampleRun('second').run);
      assert.deepEqual((await store.listRuns()).map((summary) => summary.run.id), ['second', 'first']);
      assert.equal((await store.getRun('latest')).run.id, 'second');
    }));

    test('resolves exact ids, unique prefixes and latest', () => withStore(open, async (store) => {
      for (const [id, day] of [['abc', '01'], ['abcd', '02'], ['abx9', '03'], ['zeta', '04']] as const) {
        store.append(sampleRun(id, { startedAt: `2025-04-${day}T00:00:00.000Z`, taskCount: 0 }).run);
      }
      assert.equal((await store.getRun('abc')).run.id, 'abc', 'an exact id wins over being a prefix of another id');
      assert.equal((await store.getRun('abx')).run.id, 'abx9');
      assert.equal((await store.getRun('z')).run.id, 'zeta');
      assert.equal((await store.getRun('latest')).run.id, 'zeta');
      await assert.rejects(store.getRun('ab'), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.match(error.message, /ambiguous/);
        for (const id of ['abc', 'abcd', 'abx9']) assert.match(error.message, new RegExp(`\\b${id}\\b`));
        assert.doesNotMatch(error.message, /zeta/);
        return true;
      });
      await assert.rejects(store.getRun('nope'), (error: unknown) => error instanceof StoreError && /nope/.test(error.message));
      await assert.rejects(store.getRun(''), StoreError);
    }));

    test('latest on an empty store is a StoreError', () => withStore(open, async (store) => {
      await assert.rejects(store.getRun('latest'), (error: unknown) => error instanceof StoreError && /no runs/i.test(error.message));
      assert.deepEqual(await store.listRuns(), []);
    }));

    test('a run literally named latest is found by its id', () => withStore(open, async (store) => {
      store.append(sampleRun('latest', { startedAt: '2025-01-01T00:00:00.000Z' }).run);
      store.append(sampleRun('newest', { startedAt: '2025-02-01T00:00:00.000Z' }).run);
      assert.equal((await store.getRun('latest')).run.id, 'latest');
    }));

    test('stats appended after their node was written update it', () => withStore(open, async (store) => {
      const sample = sampleRun('stats-run', { taskCount: 1, nodesPerTask: 3 });
      for (const record of sample.records) if (record.type !== 'node_stats') store.append(record);
      await store.flush();
      const root = sample.nodes[0].id;
      assert.equal((await store.getTree('stats-run', 'task-0')).stats.size, 0);
      store.append({ type: 'node_stats', runId: 'stats-run', nodeId: root, visits: 3, value: 0.5, selected: true, pruned: null });
      store.append({ type: 'node_stats', runId: 'stats-run', nodeId: root, visits: 9, value: null, selected: false, pruned: 'worse' });
      const tree = await store.getTree('stats-run', 'task-0');
      assert.deepEqual([...tree.stats.keys()], [root]);
      assert.deepEqual(tree.stats.get(root), { type: 'node_stats', runId: 'stats-run', nodeId: root, visits: 9, value: null, selected: false, pruned: 'worse' });
      assert.deepEqual(tree.nodes, sample.nodes, 'stats never change the node record itself');
    }));

    test('records appended after a read are visible to the next read', () => withStore(open, async (store) => {
      const sample = sampleRun('growing', { taskCount: 1, nodesPerTask: 4 });
      const [run, task, ...rest] = sample.records;
      store.append(run);
      store.append(task);
      assert.equal((await store.getTree('growing', 'task-0')).nodes.length, 0);
      for (const record of rest) store.append(record);
      const tree = await store.getTree('growing', 'task-0');
      assert.deepEqual(tree.nodes, sample.nodes);
      assert.deepEqual((await store.getRun('growing')).end, sample.end);
    }));

    test('callers cannot change history through records they hold or read', () => withStore(open, async (store) => {
      const sample = sampleRun('frozen', { taskCount: 1, nodesPerTask: 2 });
      const pristine = structuredClone(sample.nodes);
      appendAll(store, sample);
      (sample.nodes[0].state as { numbers: number[] }).numbers.push(99);
      sample.nodes[1].observation = 'changed after append';
      const read = await store.getTree('frozen', 'task-0');
      assert.deepEqual(read.nodes, pristine);
      (read.nodes[0].state as { numbers: number[] }).numbers.push(7);
      assert.deepEqual((await store.getTree('frozen', 'task-0')).nodes, pristine);
    }));

    test('rejects duplicate ids and stats of unknown nodes at flush, keeping the other records', () => withStore(open, async (store) => {
      const sample = sampleRun('dupes', { taskCount: 1, nodesPerTask: 2 });
      appendAll(store, sample);
      store.append(sample.nodes[1]);
      store.append({ type: 'node_stats', runId: 'dupes', nodeId: 'dupes.404', visits: 1, value: null, selected: false, pruned: null });
      store.append(sampleRun('after', { taskCount: 0 }).run);
      await assert.rejects(store.flush(), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.match(error.message, new RegExp(`node ${sample.nodes[1].id.replace('.', '\\.')}: a record with the same id was already recorded`));
        assert.match(error.message, /and 1 more/);
        return true;
      });
      await store.flush();
      assert.deepEqual((await store.getTree('dupes', 'task-0')).nodes, sample.nodes);
      assert.deepEqual((await store.listRuns()).map((summary) => summary.run.id).sort(), ['after', 'dupes']);
    }));

    test('a later task_result or run_end replaces the earlier one in place (a resumed run finishing)', () => withStore(open, async (store) => {
      const sample = sampleRun('resumed', { taskCount: 2, nodesPerTask: 1 });
      appendAll(store, sample);
      const [first, second] = sample.results;
      const redone = { ...first, outcome: 'unsolvable' as const, stopReason: null, expansions: first.expansions + 5 };
      store.append(redone);
      store.append({ ...sample.end!, status: 'completed after resume' });
      await store.flush();
      const summary = await store.getRun('resumed');
      assert.deepEqual(summary.results, [redone, second], 'replaced, keeping its place');
      assert.equal(summary.end?.status, 'completed after resume');
      assert.deepEqual((await store.getTree('resumed', first.taskId)).result, redone);
    }));

    test('a tree of a task that was never recorded is a StoreError naming the known tasks', () => withStore(open, async (store) => {
      appendAll(store, sampleRun('known', { taskCount: 2, nodesPerTask: 1 }));
      await assert.rejects(store.getTree('known', 'task-9'), (error: unknown) =>
        error instanceof StoreError && /task-9/.test(error.message) && /task-0, task-1/.test(error.message));
      assert.deepEqual(await store.getTasks('no-such-run'), []);
    }));

    test('one task is read by its id; an unknown task or run is null', () => withStore(open, async (store) => {
      const run = sampleRun('by-id', { taskCount: 3, nodesPerTask: 1 });
      appendAll(store, run);
      appendAll(store, sampleRun('other', { taskCount: 3, nodesPerTask: 1 }));
      await store.flush();
      for (const task of run.tasks) assert.deepEqual(await store.getTask('by-id', task.taskId), task);
      assert.equal(await store.getTask('by-id', 'task-9'), null);
      assert.equal(await store.getTask('no-such-run', run.tasks[0].taskId), null);
    }));

    test('a closed store refuses appends and reads; closing twice is harmless', async () => {
      const store = await open();
      await store.close();
      await store.close();
      assert.throws(() => store.append(sampleRun('late').run), StoreError);
      await assert.rejects(store.listRuns(), StoreError);
      await assert.rejects(store.flush(), StoreError);
      await assert.rejects(store.findModelCall('sha-0-1'), StoreError);
    });

    describeModelCallBehaviour(open);
    describeAnnotationBehaviour(open);
    describeViewerReadBehaviour(open);
    describeFrozenFormats(open);
    describeLeaseBehaviour(open);
  });
}
