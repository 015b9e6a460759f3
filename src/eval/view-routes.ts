import type { ApiRoute } from '../view/api.ts';
import type { PageRoute } from '../view/server.ts';
import { notFound } from '../view/http-error.ts';
import type { Store } from '../store/store.ts';
import { evalSummaryFromStore, listEvals } from './from-store.ts';
import { REPORT_CSP, renderEvalReport } from './report-html.ts';

/** The viewer's eval API: the evals in the store, and one eval's summary. */
export const EVAL_API_ROUTES: ApiRoute[] = [
  { path: '/api/evals', handle: async (_params, _query, context) => ({ evals: await listEvals(context.store) }) },
  { path: '/api/evals/:eval', handle: async (params, _query, context) => summaryOrNotFound(context.store, params.eval) },
];

/** `/evals/<eval id>`: the eval's HTML report, rebuilt from the store, with links into the viewer itself. */
export const EVAL_PAGE_PATH = /^\/evals\/([^/]+)$/;

export async function evalReportPage(store: Store, evalId: string): Promise<{ html: string; csp: string }> {
  const summary = await summaryOrNotFound(store, evalId);
  return { html: renderEvalReport(summary, { viewerUrl: '' }), csp: REPORT_CSP };
}

/** The eval report pages, for the viewer server's `pages` (the CLI assembles the server's routes). */
export const EVAL_PAGES: PageRoute[] = [
  { path: EVAL_PAGE_PATH, render: ([evalId], context) => evalReportPage(context.store, evalId) },
];

async function summaryOrNotFound(store: Store, evalId: string) {
  if (!(await listEvals(store)).some((e) => e.evalId === evalId)) throw notFound(`No eval ${evalId} in this store.`, 'The Evals tab lists the evals in the store.');
  return evalSummaryFromStore(store, evalId);
}
