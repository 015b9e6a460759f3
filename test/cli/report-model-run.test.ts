import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Report } from '../../src/envs/report/index.ts';
import { openStore } from '../../src/store/index.ts';
import { startFakeOpenAIServer, type FakeChatRequest } from '../../src/testing/fake-openai-server.ts';
import { runCli, tempDir } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const text = (body: FakeChatRequest, i: number) => String(body.messages!.at(i)!.content);

test('stepwise run report --model: the model proposes the edit and carries it out; the result is checked and recorded', { skip: NEEDS_SHARED_DATA }, async () => {
  const server = await startFakeOpenAIServer({
    script: (body) => {
      if (!/You edit research reports/.test(text(body, 0))) return 'Add a section on datasets';
      const report = JSON.parse(/^Report:\n(.+)$/m.exec(text(body, -1))![1]) as Report;
      const added = { id: `s${report.nextSection}`, title: 'Datasets', topic: 'datasets', paragraphs: [{ text: 'DRACULA collects preferences [p01].', citations: ['p01'] }] };
      return JSON.stringify({ ...report, sections: [...report.sections, added], nextSection: report.nextSection + 1 });
    },
  });
  const db = join(tempDir(), 'report.db');
  try {
    const result = await runCli(
      ['run', 'report', '--tasks', '../shared/data/papers/intermediate-actions.jsonl#which intermediate actions do users want?', '--model', `openai-compatible:${server.url}#fake`, '--max-depth', '1', '--json', '--db', db],
      { env: { STEPWISE_API_KEY: 'test' } },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok(server.requests.some((r) => /Edit: Add a section on datasets/.test(text(r, -1))), 'the edit went to the model');
    const store = openStore(db, { readonly: true });
    try {
      const tree = await store.getTree(JSON.parse(result.stdout).runId, 'q1');
      const child = tree.nodes.find((n) => n.depth === 1)!;
      assert.equal(child.check.valid, true, child.check.reason);
      assert.equal((child.state as Report).sections.at(-1)!.title, 'Datasets');
      assert.ok(tree.modelCalls.length >= 2, 'proposal and execution calls are both recorded');
    } finally {
      await store.close();
    }
  } finally {
    await server.close();
  }
});
