import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonLine, runCli, tempDb } from './cli-process.ts';

test('show marks an MCTS candidate never executed ○ (in the legend), prints node id endings, and fork takes them with a run-id prefix', async () => {
  const db = tempDb();
  const run = parseJsonLine(await runCli(['run', 'strips', '--tasks', 'generate:blocksworld?count=1&blocks=4&length=6&seed=2', '--strategy', 'mcts', '--simulations', '8', '--json', '--db', db]));
  const shown = await runCli(['show', String(run.runId), '--task', 'bw-4-6-1', '--max-nodes', '1000', '--db', db]);
  assert.equal(shown.code, 0, shown.stderr);
  const lines = shown.stdout.split('\n');
  const unexecuted = lines.filter((line) => line.includes('not executed'));
  assert.ok(unexecuted.length > 0, 'eight simulations leave candidates unvisited');
  for (const line of unexecuted) assert.match(line, /^ *○ /, `a valid candidate never executed is not marked as invalid: ${line}`);
  assert.ok(lines.every((line) => !/^ *✗ /.test(line) || !line.includes('not executed')));

  const help = await runCli(['show', '--help']);
  assert.match(help.stdout, /^ {2}○ {2}a valid candidate never executed/m);
  assert.match(help.stdout, /^ {2}✗ {2}an invalid step or candidate/m);

  // Every node line shows its id's ending; the header says how to make a node id of it.
  assert.match(shown.stdout, new RegExp(`^node ids: ${run.runId} followed by the ending each node shows \\(e\\.g\\. stepwise fork ${run.runId}\\.\\d+\\)$`, 'm'));
  const ending = /^ {2}\S (?:\(.*?\)|\S+(?: \S+)*) {2}(\.\d+)/m.exec(shown.stdout)?.[1];
  assert.ok(ending, 'a depth-1 node shows its id ending');
  const tree = JSON.parse((await runCli(['show', String(run.runId), '--task', 'bw-4-6-1', '--json', '--db', db])).stdout);
  assert.ok(tree.nodes.some((node: { id: string }) => node.id === `${run.runId}${ending}`), 'the ending completes a real node id');

  const forked = await runCli(['fork', `${String(run.runId).slice(0, 8)}${ending}`, '--budget', '2', '--json', '--db', db]);
  assert.equal(forked.code, 0, forked.stderr);
});
