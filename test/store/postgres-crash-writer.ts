// Child process for postgres-crash.test.ts: records nodes in small batches until it is killed.
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { crashNode, crashRunHeader, crashStats } from './crash-records.ts';

const [url, runId, batchSizeText] = process.argv.slice(2);
const batchSize = Number(batchSizeText);
const store = openPostgresStore(url, { batchSize, flushIntervalMs: 3_600_000 });
for (const record of crashRunHeader(runId)) store.append(record);
await store.flush();
process.stdout.write('ready\n');

// Only full batches are written (no timer, no flush); the loop yields as a search does, so they are sent while it runs.
const giveUpAt = Date.now() + 20_000;
for (let i = 0; Date.now() < giveUpAt; i++) {
  store.append(crashNode(runId, i));
  store.append(crashStats(runId, i));
  if (i % batchSize === 0) await new Promise((resolve) => setImmediate(resolve));
}
process.exit(0);
