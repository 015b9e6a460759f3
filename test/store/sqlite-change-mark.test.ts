import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { appendAll, withStore } from '../../src/testing/store-suite/with-store.ts';
import { tempStorePath } from './temp-store-path.ts';

test('a read-only store sees another connection write: its change mark moves and the new records read back', async () => {
  const path = tempStorePath();
  await withStore(() => openSqliteStore(path), async (writer) => {
    appendAll(writer, sampleRun('run-a'));
    await writer.flush();
    await withStore(() => openSqliteStore(path, { readonly: true }), async (viewer) => {
      const before = await viewer.changeMark();
      assert.equal(await viewer.changeMark(), before);
      appendAll(writer, sampleRun('run-b', { startedAt: '2025-02-01T00:00:00.000Z' }));
      await writer.flush();
      assert.notEqual(await viewer.changeMark(), before);
      assert.equal((await viewer.listRuns())[0].run.id, 'run-b');
      assert.equal((await viewer.getTreeOutline('run-b', 'task-0')).nodes.length, 6);
    });
  });
});
