// Child process for sqlite-crash.test.ts: records nodes in small batches until it is killed.
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { crashNode, crashRunHeader, crashStats } from './crash-records.ts';

const [path, runId, batchSizeText] = process.argv.slice(2);
const store = openSqliteStore(path, { batchSize: Number(batchSizeText), flushIntervalMs: 3_600_000 });
for (const record of crashRunHeader(runId)) store.append(record);
await store.flush();
process.stdout.write('ready\n');

// Only full batches are written (no timer, no flush), so a kill can only ever cut between batches.
const giveUpAt = Date.now() + 20_000;
for (let i = 0; Date.now() < giveUpAt; i++) {
  store.append(crashNode(runId, i));
  store.append(crashStats(runId, i));
}
process.exit(0);
