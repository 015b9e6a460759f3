import type { ComponentType } from 'preact';
import { ApprovalsView } from './approvals/approvals-view.tsx';
import { ChartsView } from './charts/charts-view.tsx';
import { CompareView } from './compare/compare-view.tsx';
import { EvalsView } from './evals/evals-view.tsx';
import { FeedbackView } from './feedback/feedback-view.tsx';
import type { Route } from './route.ts';
import { ForkView } from './runs/fork-view.tsx';
import { RunView } from './runs/run-view.tsx';
import { RunsView } from './runs/runs-view.tsx';
import { TreeView } from './tree/tree-view.tsx';

/** One page of the viewer, reached at `#/<id>/…`. Adding a tab is one entry here (see docs/viewer.md). */
export interface Tab {
  id: string;
  title: string;
  /** Shown in the top bar; pages reached from others (a run, a tree) are not. */
  inNav: boolean;
  view: ComponentType<{ route: Route }>;
  /** For a page only some commands serve: the API route it needs, and what to say where it is missing. */
  needs?: { endpoint: string; elsewhere: string };
}

export const TABS: Tab[] = [
  { id: 'runs', title: 'Runs', inNav: true, view: RunsView },
  { id: 'run', title: 'Run', inNav: false, view: RunView },
  { id: 'tree', title: 'Tree', inNav: false, view: TreeView },
  { id: 'fork', title: 'Fork vs origin', inNav: false, view: ForkView },
  { id: 'compare', title: 'Compare paths', inNav: true, view: CompareView },
  { id: 'charts', title: 'Charts', inNav: true, view: ChartsView },
  { id: 'evals', title: 'Evals', inNav: true, view: EvalsView, needs: { endpoint: '/api/evals', elsewhere: 'This server does not list evals: open the store with `stepwise view`.' } },
  // Served with answers only by `stepwise feedback --web`; the plain viewer has no session to show.
  {
    id: 'feedback', title: 'Feedback', inNav: false, view: FeedbackView,
    needs: { endpoint: '/api/feedback/prompt', elsewhere: 'This viewer is not running a feedback session: start one with `stepwise feedback <env> --tasks … --web`.' },
  },
  // Served with decisions only by `stepwise view --approvals`.
  { id: 'approvals', title: 'Approvals', inNav: false, view: ApprovalsView, needs: { endpoint: '/api/approvals', elsewhere: 'This viewer does not serve approvals: start it with `stepwise view --approvals`.' } },
];
