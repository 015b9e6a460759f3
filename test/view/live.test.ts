import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startViewServer } from '../../src/view/server.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { tempStorePath } from '../store/temp-store-path.ts';
import { appendAll } from '../../src/testing/store-suite/with-store.ts';
import { fakeDist } from './view-server-kit.ts';

/** Reads server-sent `change` events' data from a streaming response, one at a time. */
function changeEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  return async function next(): Promise<string> {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = /^data: (.*)$/m.exec(event);
        if (/^event: change$/m.test(event) && data) return JSON.parse(data[1]) as string;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffered += value;
    }
  };
}

test('while another process records, the viewer pushes a change event and serves the new run without a restart', async () => {
  const path = tempStorePath();
  const writer = openSqliteStore(path);
  appendAll(writer, sampleRun('run-a'));
  await writer.flush();
  const store = openSqliteStore(path, { readonly: true });
  const server = await startViewServer({ store, port: 0, distDir: fakeDist() });
  const abort = new AbortController();
  try {
    const response = await fetch(new URL('/api/events', server.url), { signal: abort.signal });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const next = changeEvents(response.body!);
    const first = await next();
    appendAll(writer, sampleRun('run-b', { startedAt: '2025-03-01T00:00:00.000Z' }));
    await writer.flush();
    const second = await next();
    assert.notEqual(second, first);
    const runs = await (await fetch(new URL('/api/runs', server.url))).json() as { runs: { id: string }[]; mark: string };
    assert.deepEqual(runs.runs.map((r) => r.id), ['run-b', 'run-a']);
    assert.equal(runs.mark, second);
  } finally {
    abort.abort();
    await server.close();
    await store.close();
    await writer.close();
  }
});
