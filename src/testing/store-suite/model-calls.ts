import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StoreError } from '../../core/errors.ts';
import type { ModelCallRecord } from '../../store/records.ts';
import type { Store } from '../../store/store.ts';
import type { OpenStore } from './with-store.ts';
import { sampleModelCall, sampleRun } from './sample-run.ts';
import { appendAll, withStore } from './with-store.ts';

function failedCall(runId: string, taskId: string | null, id: string, requestHash: string): ModelCallRecord {
  return sampleModelCall(runId, taskId, id, requestHash, { text: null, usage: null, attempts: 4, error: 'HTTP 500 after 4 attempts' });
}

function cacheHit(runId: string, taskId: string | null, id: string, requestHash: string, cachedFrom: string): ModelCallRecord {
  return sampleModelCall(runId, taskId, id, requestHash, { cacheHit: true, cachedFrom, attempts: 0, latencyMs: 0.1 });
}

/** Model calls and the cross-run request cache (format 2), run against every backend. */
export function describeModelCallBehaviour(open: OpenStore): void {
  describe('model calls', () => {
    test("a tree lists its task's model calls in the order made, written or still batched, and only those", () => withStore(open, async (store) => {
      const { run, tasks } = sampleRun('calls', { taskCount: 2, nodesPerTask: 0 });
      const other = sampleRun('other', { taskCount: 1, nodesPerTask: 0 });
      for (const record of [run, ...tasks, other.run, ...other.tasks]) store.append(record);
      // Ids and timestamps deliberately out of order: the order made is the order appended.
      const written = [
        sampleModelCall('calls', 'task-1', 'calls.9#0', 'h-a', { createdAt: 50 }),
        sampleModelCall('calls', 'task-0', 'calls.10#0', 'h-b', { createdAt: 40 }),
        sampleModelCall('calls', null, 'warm-up#0', 'h-c'),
        failedCall('calls', 'task-0', 'calls.2#0', 'h-d'),
        sampleModelCall('other', 'task-0', 'other.1#0', 'h-e'),
      ];
      for (const call of written) store.append(call);
      await store.flush();
      const batched = [cacheHit('calls', 'task-0', 'calls.10#1', 'h-b', 'calls.10#0'), sampleModelCall('calls', 'task-1', 'calls.1#0', 'h-f')];
      for (const call of batched) store.append(call);

      assert.deepEqual((await store.getTree('calls', 'task-0')).modelCalls, [written[1], written[3], batched[0]]);
      assert.deepEqual((await store.getTree('calls', 'task-1')).modelCalls, [written[0], batched[1]]);
      assert.deepEqual((await store.getTree('other', 'task-0')).modelCalls, [written[4]]);
      assert.deepEqual(await store.findModelCall('h-c'), written[2], 'a call outside any task is in no tree but still answers the cache');
    }));

    test('the first successful sent call of a hash answers, from any run', () => withStore(open, async (store) => {
      const first = sampleRun('first-run');
      const second = sampleRun('second-run');
      appendAll(store, first);
      await store.flush();
      appendAll(store, second);
      const byId = (sample: typeof first, id: string) => sample.modelCalls.find((call) => call.id === id);
      // sha-0-1 is sent by both runs and served from the cache once in each; the first run's sent call wins.
      assert.deepEqual(await store.findModelCall('sha-0-1'), byId(first, 'first-run.0#1'));
      assert.deepEqual(await store.findModelCall('sha-1-2'), byId(first, 'first-run.6#2'));
      assert.equal(await store.findModelCall('sha-0-3'), null, 'both runs failed this request');
      assert.equal(await store.findModelCall('sha-unknown'), null);
      const retried = sampleModelCall('second-run', 'task-0', 'second-run.1#9', 'sha-0-3');
      store.append(retried);
      assert.deepEqual(await store.findModelCall('sha-0-3'), retried, 'a later success answers once it exists');
    }));

    test('failures and cache hits never answer, even when they come first', () => withStore(open, async (store) => {
      store.append(sampleRun('cache', { taskCount: 1, nodesPerTask: 0 }).run);
      store.append(failedCall('cache', 'task-0', 'n.0#0', 'h'));
      store.append(cacheHit('cache', 'task-0', 'n.0#1', 'h', 'elsewhere#0'));
      assert.equal(await store.findModelCall('h'), null);
      await store.flush();
      assert.equal(await store.findModelCall('h'), null);
      const answer = sampleModelCall('cache', 'task-0', 'n.0#2', 'h', { text: 'the answer' });
      store.append(answer);
      store.append(sampleModelCall('cache', 'task-0', 'n.0#3', 'h', { text: 'a later answer' }));
      assert.deepEqual(await store.findModelCall('h'), answer);
      await store.flush();
      assert.deepEqual(await store.findModelCall('h'), answer);
    }));

    test('a call still in the batch answers, and an older written call wins over it', () => withStore(open, async (store) => {
      const pending = sampleModelCall('batch', 'task-0', 'b.0#0', 'h1');
      store.append(pending);
      assert.deepEqual(await store.findModelCall('h1'), pending, 'visible before any flush');
      await store.flush();
      store.append(sampleModelCall('batch', 'task-0', 'b.0#1', 'h1', { text: 'newer' }));
      assert.deepEqual(await store.findModelCall('h1'), pending);
      const failed = failedCall('batch', 'task-0', 'b.0#2', 'h2');
      store.append(failed);
      await store.flush();
      const success = sampleModelCall('batch', 'task-0', 'b.0#3', 'h2');
      store.append(success);
      assert.deepEqual(await store.findModelCall('h2'), success, 'a batched success answers when the written call failed');
    }));

    test('callers cannot change a recorded call through the record they appended or the one they got back', () => withStore(open, async (store) => {
      const call = sampleModelCall('frozen-calls', 'task-0', 'f.0#0', 'h');
      const pristine = structuredClone(call);
      store.append(call);
      (call.request as { messages: { content: string }[] }).messages[0].content = 'changed after append';
      call.text = 'changed too';
      for (const when of ['batched', 'written']) {
        const found = await store.findModelCall('h');
        assert.deepEqual(found, pristine, when);
        assert.ok(found);
        (found.request as { messages: unknown[] }).messages.push('injected');
        assert.deepEqual(await store.findModelCall('h'), pristine, when);
        await store.flush();
      }
    }));

    test('a second call with the same id is rejected at flush; the first one stays and answers', () => withStore(open, async (store) => {
      const call = sampleModelCall('dupe-calls', 'task-0', 'd.0#0', 'h-first');
      store.append(call);
      store.append(sampleModelCall('dupe-calls', 'task-0', 'd.0#0', 'h-second'));
      await assert.rejects(store.flush(), (error: unknown) =>
        error instanceof StoreError && /model_call d\.0#0: a record with the same id was already recorded/.test(error.message));
      assert.deepEqual(await store.findModelCall('h-first'), call);
      assert.equal(await store.findModelCall('h-second'), null);
    }));
  });
}
