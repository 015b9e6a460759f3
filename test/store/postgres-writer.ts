// Child process for postgres-writers.test.ts: one of several writers appending to one Postgres store at once.
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';

const [url, writer, runsText] = process.argv.slice(2);
// Small batches, so the writers' transactions interleave many times.
const store = openPostgresStore(url, { batchSize: 40, flushIntervalMs: 5 });
for (let i = 0; i < Number(runsText); i++) {
  const sample = sampleRun(`${writer}-run-${i}`, { taskCount: 3, nodesPerTask: 60, startedAt: `2026-01-01T00:00:0${i}.000Z` });
  for (const record of sample.records) store.append(record);
  // Every writer annotates one run none of them owns: concurrent replacements of one table's rows.
  store.append({ type: 'annotation', runId: 'shared', taskId: null, nodeId: null, kind: 'note', key: writer, data: { writer, run: i }, createdAt: i });
  // Yield now and then, as a search does, so the flush timer runs between appends.
  await new Promise((resolve) => setImmediate(resolve));
}
await store.close();
