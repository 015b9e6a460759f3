import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertUsageFailure, runCli } from './cli-process.ts';

const COMMANDS = [
  'demo', 'run', 'verify', 'runs', 'show', 'view', 'replay', 'resume', 'fork',
  'credit', 'export', 'import', 'train-value', 'eval', 'feedback', 'store', 'worker',
];

describe('stepwise help', { concurrency: true }, () => {
  for (const command of COMMANDS) {
    it(`${command} --help exits 0 with usage and an example that names the command`, async () => {
      for (const flag of ['--help', '-h']) {
        const { code, stdout, stderr } = await runCli([command, flag]);
        assert.equal(code, 0);
        assert.equal(stderr, '');
        assert.match(stdout, new RegExp(`^Usage: stepwise ${command}\\b`));
        const example = stdout.slice(stdout.search(/^Examples?:$/m));
        assert.ok(example.length > 0, `${command} --help has an Example section`);
        assert.match(example, new RegExp(`stepwise ${command}\\b`));
      }
    });
  }

  it('run --help names every key variable, STEPWISE_API_KEY included', async () => {
    const { stdout } = await runCli(['run', '--help']);
    for (const key of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'STEPWISE_API_KEY']) assert.match(stdout, new RegExp(key));
  });

  it('no arguments lists every command with its summary and exits 0', async () => {
    const { code, stdout, stderr } = await runCli([]);
    assert.equal(code, 0);
    assert.equal(stderr, '');
    for (const command of COMMANDS) assert.match(stdout, new RegExp(`^  ${command} +\\S`, 'm'));
    assert.match(stdout, /^Example:$/m);
    assert.deepEqual(await runCli(['--help']), { code, stdout, stderr });
  });

  it('an unknown command exits 2, names it and lists the commands', async () => {
    const result = await runCli(['serve']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /unknown command "serve"/);
    for (const command of COMMANDS) assert.match(result.stderr, new RegExp(`\\b${command}\\b`));
    assert.match(result.stderr, /stepwise --help/);
  });

  it('an unknown option points to the command help', async () => {
    assertUsageFailure(await runCli(['runs', '--limt', '3']), 'runs', [/Unknown option '--limt'/, /stepwise runs --help/]);
  });

  it('--version prints the version alone', async () => {
    const { code, stdout } = await runCli(['--version']);
    assert.equal(code, 0);
    assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
