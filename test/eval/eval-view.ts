import { runEval } from '../../src/eval/runner.ts';
import { parseSuite } from '../../src/eval/suite.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { EVAL_API_ROUTES, EVAL_PAGES } from '../../src/eval/view-routes.ts';
import { startViewServer, type ViewServer } from '../../src/view/server.ts';
import { tempStorePath } from '../store/temp-store-path.ts';

/** Records a small eval (Game of 24, greedy and BFS, `epochs` epochs) into `store`; returns its id. */
export async function recordSmallEval(store: Store, evalId = 'viewed-1', epochs = 2): Promise<string> {
  const suite = parseSuite({
    name: 'viewed',
    description: 'an eval <b>served</b> by the viewer',
    epochs,
    tasks: [{ name: 'g24', env: 'game24', tasks: 'generate:game24?count=2&seed=1' }],
    configs: [
      { name: 'greedy', strategy: 'greedy', options: { k: 3 }, budget: { expansions: 10 } },
      { name: 'bfs', strategy: 'bfs', options: { width: 2 }, budget: { expansions: 40 } },
    ],
  });
  await runEval({ suite, evalId, store });
  return evalId;
}

/** A small eval recorded into a SQLite file, served read-only by the viewer as `stepwise view` does. */
export async function serveEval(distDir: string): Promise<{ server: ViewServer; store: Store; evalId: string; close(): Promise<void> }> {
  const path = tempStorePath();
  const writer = openSqliteStore(path);
  const evalId = await recordSmallEval(writer);
  await writer.close();
  const store = openSqliteStore(path, { readonly: true });
  const server = await startViewServer({ store, port: 0, distDir, routes: EVAL_API_ROUTES, pages: EVAL_PAGES });
  return {
    server, store, evalId,
    async close() {
      await server.close();
      await store.close();
    },
  };
}
