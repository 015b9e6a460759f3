import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { runCli, tempDb } from './cli-process.ts';

async function endStatus(db: string): Promise<string | undefined> {
  const store = openSqliteStore(db, { readonly: true });
  try {
    const [summary] = await store.listRuns();
    return summary.end?.status;
  } finally {
    await store.close();
  }
}

// The real CLI in a child process against servers that cannot answer.
describe('stepwise run when the model cannot answer', () => {
  it('an unreachable server ends the run as failed, naming the URL with a hint, instead of "failed 1"', async () => {
    const dead = await startFakeOpenAIServer({ script: [] });
    await dead.close();
    const db = tempDb();
    const result = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--model', `openai-compatible:${dead.url}#gpt`, '--mode', 'list', '--db', db]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`cannot reach ${dead.url}.*ECONNREFUSED.*gave up after 5 attempts`));
    assert.match(result.stderr, /hint: check that the server is running and the base URL is right/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.match((await endStatus(db)) ?? '', /^failed: cannot reach/);
  });

  it('a run in which every model call failed exits non-zero and says why', async () => {
    const refusing = await startFakeOpenAIServer({ script: () => ({ type: 'error', status: 400, message: 'maximum context length exceeded' }) });
    try {
      const db = tempDb();
      const result = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--model', `openai-compatible:${refusing.url}#gpt`, '--mode', 'list', '--db', db]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /every one of the \d+ model calls of run \w+ failed; the first: .*maximum context length exceeded/);
      assert.match(result.stderr, /--calls/);
    } finally {
      await refusing.close();
    }
  });
});
