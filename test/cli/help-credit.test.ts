import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './cli-process.ts';

const COMMANDS = ['credit', 'export', 'import', 'train-value'];

describe('help of the credit and training-data commands', { concurrency: true }, () => {
  for (const command of COMMANDS) {
    it(`${command} --help exits 0 with usage and an example that names the command`, async () => {
      const { code, stdout, stderr } = await runCli([command, '--help']);
      assert.equal(code, 0);
      assert.equal(stderr, '');
      assert.match(stdout, new RegExp(`^Usage: stepwise ${command}\\b`));
      const example = stdout.slice(stdout.search(/^Examples?:$/m));
      assert.ok(example.length > 0, `${command} --help has an Example section`);
      assert.match(example, new RegExp(`stepwise ${command}\\b`));
    });
  }

  it('the command list names them with their summaries', async () => {
    const { stdout } = await runCli([]);
    for (const command of COMMANDS) assert.match(stdout, new RegExp(`^  ${command} +\\S`, 'm'));
  });
});
