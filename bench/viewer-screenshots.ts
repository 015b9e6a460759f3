// Takes the README's screenshots of the viewer from a realistic store: the offline demo, a Game of 24 ToT BFS run
// against the fake OpenAI-compatible model server (so nodes have model calls), and a small MCTS run.
// Run: npm run screenshots:viewer  (writes docs/images/viewer-*.png; needs viewer/dist, Chromium and ../shared/data).
//   npm run screenshots:viewer -- --out /tmp/shots   writes them elsewhere (to look before replacing the README's).
// Each page is shot once its ready signal is up (#app[data-ready]): the event stream keeps "network idle" from coming.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { startFakeOpenAIServer } from '../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../src/testing/game24-model.ts';
import { launchChromium } from '../test/browser/chromium.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const { values: flags } = parseArgs({ options: { out: { type: 'string' } } });
const out = flags.out ? resolve(flags.out) : join(root, 'docs', 'images');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'stepwise-screens-'));
const db = join(dir, 'traces.db');

// Asynchronous: the fake model server answers from this process while the CLI runs.
function cli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [join(root, 'bin', 'stepwise.js'), ...args, '--db', db], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`stepwise ${args.join(' ')} failed: ${stderr}`)))));
}

const model = await startFakeOpenAIServer({ script: game24ModelScript({ illegalEvery: 4 }) });
try {
  await cli(['demo']);
  await cli(['run', 'game24', '--tasks', 'tot:../shared/data/tot/24.csv:900-909', '--model', `openai-compatible:${model.url}#fake-gpt`, '--strategy', 'bfs', '--mode', 'list', '--scorer', 'value']);
  await cli(['run', 'strips', '--tasks', 'generate:blocksworld?count=4&blocks=5&length=8&seed=3', '--strategy', 'mcts', '--simulations', '300']);
} finally {
  await model.close();
}

const store = openSqliteStore(db, { readonly: true });
const runs = await store.listRuns();
const modelRun = runs.find((r) => r.run.strategy.name === 'bfs' && r.run.env.name === 'game24')!;
const mctsRun = runs.find((r) => r.run.strategy.name === 'mcts' && r.tasks === 4)!;
const modelTask = modelRun.results.find((r) => r.outcome === 'solved')!;
const modelTree = await store.getTree(modelRun.run.id, modelTask.taskId);
const mctsTask = mctsRun.results[0];
const mctsTree = await store.getTree(mctsRun.run.id, mctsTask.taskId);
await store.close();
// A node with model calls behind it, and two paths that part ways for the compare view.
const calledNode = modelTree.modelCalls.find((call) => call.nodeId !== null && !call.cacheHit)!.nodeId!;
const solution = modelTree.nodes.find((node) => node.id === modelTask.solutionNodeId)!;
const rival = modelTree.nodes.filter((node) => node.depth === solution.depth && node.parentId !== solution.parentId && node.check.valid).at(-1) ?? modelTree.nodes.at(-1)!;
// A node on the solution path with several finished leaves below, so its credit (Monte Carlo value) says something.
const mctsSolution = mctsTree.nodes.find((node) => node.id === mctsTask.solutionNodeId);
const byId = new Map(mctsTree.nodes.map((node) => [node.id, node]));
let mctsFocus = mctsTask.solutionNodeId ?? mctsTree.nodes[1].id;
for (let node = mctsSolution; node && node.depth >= 6; node = node.parentId === null ? undefined : byId.get(node.parentId)) mctsFocus = node.id;
// Credit for the MCTS run (the node panel's credit table), and a family: a BFS fork of it and a greedy fork of the fork.
await cli(['credit', mctsRun.run.id]);
const forkPoint = mctsTree.nodes.find((node) => node.depth === 2 && node.check.valid && !node.terminal && node.duplicateOf === null)!;
const fork = JSON.parse(await cli(['fork', forkPoint.id, '--strategy', 'bfs', '--width', '3', '--json'])) as { runId: string };
const forkStore = openSqliteStore(db, { readonly: true });
const forkOwn = (await forkStore.getTree(fork.runId, mctsTask.taskId)).nodes.find((node) => node.depth === forkPoint.depth + 2 && !node.terminal)!;
await forkStore.close();
await cli(['fork', forkOwn.id, '--strategy', 'greedy', '--json']);

const child = spawn(process.execPath, [join(root, 'bin', 'stepwise.js'), 'view', '--db', db, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
const url = await new Promise<string>((resolve) => {
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(text);
    if (match) resolve(match[0]);
  });
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 800 } });
  const ready = () => page.locator('#app[data-ready="true"]').waitFor({ timeout: 30_000 });
  // A fresh load each time: after a hash change alone, the last page's data-ready would still stand.
  const open = async (hash: string) => {
    await page.goto('about:blank');
    await page.goto(`${url}${hash}`);
    await ready();
  };
  const shoot = async (name: string) => {
    await ready();
    const path = join(out, `viewer-${name}.png`);
    await page.screenshot({ path });
    console.log(`${path}  ${(statSync(path).size / 1024).toFixed(0)} KB`);
  };
  await open('#/runs');
  for (const run of [modelRun.run.id, mctsRun.run.id]) await page.locator(`tr[data-run="${run}"] input[type=checkbox]`).check();
  await shoot('runs');

  await open(`#/tree/${mctsRun.run.id}/${mctsTask.taskId}?node=${mctsFocus}`);
  await page.locator('.detail').evaluate((panel) => panel.scrollTo(0, panel.scrollHeight));
  await shoot('tree');

  await open(`#/tree/${modelRun.run.id}/${modelTask.taskId}?node=${calledNode}`);
  await page.locator('details.model-call summary').first().click();
  await page.locator('.detail').evaluate((panel) => panel.scrollTo(0, 180));
  await shoot('node');

  await open(`#/compare?runA=${modelRun.run.id}&nodeA=${solution.id}&runB=${modelRun.run.id}&nodeB=${rival.id}`);
  await shoot('compare');

  // Taller, so the family, the figures and the paths with the fork point are all in the picture.
  await page.setViewportSize({ width: 1360, height: 1500 });
  await open(`#/fork/${fork.runId}`);
  await shoot('family');
  await page.setViewportSize({ width: 1360, height: 800 });

  await open(`#/charts?run=${modelRun.run.id}`);
  await shoot('charts');
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
