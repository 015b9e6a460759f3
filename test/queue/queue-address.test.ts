import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { parseQueueAddress } from '../../src/queue/address.ts';
import { nextToPoll } from '../../src/queue/queued-run.ts';
import { readTaskJob, TASK_JOB_VERSION } from '../../src/queue/task-job.ts';
import { assertUsageFailure, runCli } from '../cli/cli-process.ts';

describe('queue addresses and jobs', () => {
  test('a redis URL names the server; its fragment names the queue', () => {
    assert.deepEqual(parseQueueAddress('redis://127.0.0.1:6379'), { redisUrl: 'redis://127.0.0.1:6379', name: 'stepwise' });
    assert.deepEqual(parseQueueAddress('redis://:secret@10.0.0.5:6380/2#team-runs'), { redisUrl: 'redis://:secret@10.0.0.5:6380/2', name: 'team-runs' });
    assert.equal(parseQueueAddress('rediss://cache.example:6379#a.b_c').name, 'a.b_c');
  });

  test('anything else is refused with what is wrong and an example', () => {
    const cases: [string, RegExp][] = [
      ['127.0.0.1:6379', /it is not a URL/],
      ['localhost:6379', /its scheme is localhost, not redis/],
      ['http://127.0.0.1:6379', /its scheme is http, not redis/],
      ['redis://127.0.0.1:6379/queue', /"queue" is not a Redis database number/],
      ['redis://127.0.0.1:6379#a:b', /the queue name "a:b" may hold only/],
      ['not a url', /it is not a URL/],
    ];
    for (const [text, why] of cases) {
      assert.throws(() => parseQueueAddress(text), (error: unknown) => error instanceof UsageError && why.test(error.message) && /--queue redis:\/\//.test(error.hint ?? ''), text);
    }
  });

  test('a worker reads only task jobs of its own format, and says why not', () => {
    const job = { version: TASK_JOB_VERSION, runId: 'r1', taskIndex: 0, task: { id: 't', env: 'game24', source: 's', spec: {} }, recipe: { env: 'game24', tasks: 'x', strategy: 'dfs', seed: 0, scorers: [] }, plugins: [] };
    assert.equal(typeof readTaskJob(job), 'object');
    assert.match(readTaskJob({ ...job, version: 99 }) as string, /format version 99, this worker reads version 1/);
    assert.match(readTaskJob({ ...job, taskIndex: -1 }) as string, /^the job is not a stepwise task job: taskIndex:/);
    assert.match(readTaskJob('hello') as string, /format version undefined/);
  });

  test('the commands refuse a queue they cannot use before connecting to anything', async () => {
    assertUsageFailure(await runCli(['worker', '--db', ':memory:', '--queue', 'redis://127.0.0.1:6379']), 'worker', [/a worker records into the run's store, not --db :memory:/]);
    assertUsageFailure(await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--queue', 'redis://127.0.0.1:6379', '--db', ':memory:']), 'run', [/--queue needs a store the workers share/]);
  });
});

describe('the coordinator poll', () => {
  test('looks up a bounded number of jobs per tick, least recently looked up first, so every job comes round', () => {
    const waiting = new Map(['a', 'b', 'c', 'd', 'e'].map((id) => [id, id.toUpperCase()]));
    assert.deepEqual(nextToPoll(waiting, 2), ['a', 'b']);
    assert.deepEqual(nextToPoll(waiting, 2), ['c', 'd']);
    waiting.delete('e'); // finished meanwhile
    assert.deepEqual(nextToPoll(waiting, 2), ['a', 'b']);
    assert.deepEqual(nextToPoll(waiting, 10), ['c', 'd', 'a', 'b'], 'a batch larger than the jobs takes each once');
    assert.deepEqual([...waiting], [['c', 'C'], ['d', 'D'], ['a', 'A'], ['b', 'B']], 'values kept');
  });
});
