import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../../core/errors.ts';
import type { AnnotationRecord } from '../../store/records.ts';
import type { Store } from '../../store/store.ts';
import type { OpenStore } from './with-store.ts';
import { sampleRun } from './sample-run.ts';
import { appendAll, withStore } from './with-store.ts';

function annotation(overrides: Partial<AnnotationRecord>): AnnotationRecord {
  return { type: 'annotation', runId: 'run-a', taskId: 'task-0', nodeId: 'run-a.1', kind: 'credit', key: '', data: { mcValue: 0.5 }, createdAt: 1, ...overrides };
}

/** Annotations (format 3): attached after the fact, replaced per (run, kind, task, node, key), filtered by kind prefix. */
export function describeAnnotationBehaviour(open: OpenStore): void {
  test('annotations read back per run, filtered by dotted kind prefix, task and node', () => withStore(open, async (store) => {
    appendAll(store, sampleRun('run-a'));
    const credit = annotation({});
    const turn = annotation({ kind: 'feedback.turn', nodeId: null, data: { shown: ['a', 'b'] } });
    const judgment = annotation({ kind: 'feedback.judgment', key: 'a', data: { verdict: 'applied' } });
    const runLevel = annotation({ kind: 'eval.keynodes', taskId: null, nodeId: null, data: [1, 'two'] });
    const otherRun = annotation({ runId: 'run-b' });
    for (const record of [credit, turn, judgment, runLevel, otherRun]) store.append(record);
    await store.flush();

    assert.deepEqual(await store.getAnnotations('run-a'), [credit, turn, judgment, runLevel]);
    assert.deepEqual(await store.getAnnotations('run-a', { kind: 'feedback' }), [turn, judgment]);
    assert.deepEqual(await store.getAnnotations('run-a', { kind: 'feedback.turn' }), [turn]);
    assert.deepEqual(await store.getAnnotations('run-a', { kind: 'feed' }), [], 'a prefix must end at a dot');
    assert.deepEqual(await store.getAnnotations('run-a', { nodeId: 'run-a.1' }), [credit, judgment]);
    assert.deepEqual(await store.getAnnotations('run-a', { taskId: 'task-0', kind: 'eval' }), []);
    assert.deepEqual(await store.getAnnotations('run-b'), [otherRun]);
    assert.deepEqual(await store.getAnnotations('no-such-run'), []);
  }));

  test('a later annotation of the same target, kind and key replaces the earlier one in its place', () => withStore(open, async (store) => {
    store.append(annotation({ data: { mcValue: 0.1 } }));
    store.append(annotation({ nodeId: 'run-a.2', data: { mcValue: 0.2 } }));
    store.append(annotation({ key: 'other', data: { mcValue: 0.3 } }));
    await store.flush();
    const replacement = annotation({ data: { mcValue: 0.9 }, createdAt: 2 });
    store.append(replacement);
    // Without a node, the task-level annotation is a different target from the node-level one.
    const taskLevel = annotation({ nodeId: null, data: 'task' });
    store.append(taskLevel);
    const read = await store.getAnnotations('run-a');
    assert.deepEqual(read.map((record) => record.data), [{ mcValue: 0.9 }, { mcValue: 0.2 }, { mcValue: 0.3 }, 'task']);
    assert.deepEqual(read[0], replacement);
  }));

  test('an annotation without a proper kind is refused at flush, naming it', () => withStore(open, async (store) => {
    store.append(annotation({ kind: '' }));
    store.append(annotation({ kind: 'credit', nodeId: 'run-a.3' }));
    await assert.rejects(store.flush(), (error: unknown) => error instanceof StoreError && /dotted name/.test(error.message));
    assert.equal((await store.getAnnotations('run-a')).length, 1);
  }));
}
