// Benchmark: the viewer opening a 100,000-node tree in headless Chromium. Prints the time from navigation to the
// first frame with tree rows, and to the first key press answered. Run: npm run bench:viewer (needs viewer/dist).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { enumerateProposer } from '../src/propose/enumerate.ts';
import { heuristicScorer } from '../src/score/heuristic.ts';
import { runSearch } from '../src/search/run.ts';
import { bfs } from '../src/search/strategies/index.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/browser/chromium.ts';
import { uniformTreeEnvironment, uniformTreeTask } from './uniform-tree-env.ts';

const { values } = parseArgs({
  options: {
    branching: { type: 'string', default: '10' },
    expansions: { type: 'string', default: '11112' },
    repeats: { type: 'string', default: '3' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: node bench/viewer-100k.ts [--branching 10] [--expansions 10000] [--repeats 3]
Records a breadth-first tree of branching × expansions + 1 nodes into a temporary SQLite store, serves it with
the viewer and opens its tree view in headless Chromium, cold (first request) and warm.
Example: node bench/viewer-100k.ts --branching 4 --expansions 25000`);
  process.exit(0);
}
/** `stepwise view --db <path> --port 0` in a child process, with the URL it prints. */
async function startViewProcess(db: string): Promise<{ url: string; stop(): void }> {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const child = spawn(process.execPath, [join(root, 'bin', 'stepwise.js'), 'view', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`stepwise view exited with ${code}: ${out}${errors}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

const branching = Number(values.branching);
const expansions = Number(values.expansions);
const repeats = Number(values.repeats);

const dir = mkdtempSync(join(tmpdir(), 'stepwise-viewer-bench-'));
const path = join(dir, 'traces.db');
try {
  const writer = openSqliteStore(path);
  const task = uniformTreeTask(branching, 64);
  let started = performance.now();
  const { runId } = await runSearch({
    env: uniformTreeEnvironment,
    tasks: [task],
    proposer: enumerateProposer(),
    scorers: [heuristicScorer()],
    strategy: bfs({ width: Infinity }),
    budget: { expansions },
    store: writer,
  });
  await writer.close();
  const recordMs = performance.now() - started;

  const store = openSqliteStore(path, { readonly: true });
  const outlineStarted = performance.now();
  const outline = await store.getTreeOutline(runId, task.id);
  const outlineMs = performance.now() - outlineStarted;
  await store.close();
  // The server runs as `stepwise view` in its own process, as a user starts it (and apart from the browser driver).
  const server = await startViewProcess(path);
  const browser = await launchChromium();
  const rows: string[] = [];
  try {
    for (let i = 0; i < repeats; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      started = performance.now();
      await page.goto(`${server.url}#/tree/${runId}/${task.id}`);
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.waitForFunction(() => (globalThis as { stepwiseTreePainted?: number }).stepwiseTreePainted !== undefined, undefined, { timeout: 60_000 }).catch(async (error: unknown) => {
        // Say what the page showed instead of a bare timeout.
        const shown = await page.locator('main').innerText().catch(() => '(no main)');
        throw new Error(`${i === 0 ? 'cold' : 'warm'} run ${i}: no tree painted in 60 s; the page shows: ${shown.slice(0, 300)}; page errors: ${pageErrors.join(' | ') || 'none'}`, { cause: error });
      });
      const paintMs = await page.evaluate(() => (globalThis as { stepwiseTreePainted?: number }).stepwiseTreePainted!);
      // Interactive: the first key press after paint selects a node and the page says so.
      await page.locator('canvas.tree-canvas').focus();
      await page.keyboard.press('ArrowRight');
      await page.getByTestId('tree-selected').filter({ hasText: 'branch 0' }).waitFor();
      const interactiveMs = await page.evaluate(() => performance.now());
      // A lazy expansion: a family that the opening slice did not load.
      const lazyMs = await page.evaluate(async ([run, taskId]) => {
        const t0 = performance.now();
        const tree = await (await fetch(`/api/runs/${run}/tasks/${taskId}/tree?rows=1`)).json() as { rootId: string };
        const first = await (await fetch(`/api/runs/${run}/tasks/${taskId}/children?node=${tree.rootId}`)).json() as { items: { id: string }[] };
        const deep = await (await fetch(`/api/runs/${run}/tasks/${taskId}/children?node=${first.items.at(-1)!.id}`)).json() as { items: unknown[] };
        if (deep.items.length === 0) throw new Error('no children loaded');
        return (performance.now() - t0) / 3;
      }, [runId, task.id]);
      const rowsOpen = await page.locator('canvas.tree-canvas').getAttribute('data-rows');
      rows.push(`${i === 0 ? 'cold' : 'warm'}  first tree paint ${paintMs.toFixed(0).padStart(5)} ms · interactive ${interactiveMs.toFixed(0).padStart(5)} ms · one lazy request ${lazyMs.toFixed(1)} ms · ${rowsOpen} rows open`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.stop();
  }
  console.log(`stepwise viewer, ${outline.nodes.length.toLocaleString('en-US')} nodes (${outline.unexecuted.length} unexecuted candidates), breadth-first, branching ${branching}`);
  console.log(`recorded in ${(recordMs / 1000).toFixed(1)} s · tree outline read in ${outlineMs.toFixed(0)} ms (server side)`);
  console.log('navigation → (headless Chromium, times from navigation start)');
  for (const row of rows) console.log(`  ${row}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
