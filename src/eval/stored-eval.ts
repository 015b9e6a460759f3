/** An eval as the store knows it (also the viewer's /api/evals row; this file imports nothing so the web app can use it). */
export interface StoredEval {
  evalId: string;
  suite: string;
  startedAt: string;
  runs: number;
  completedRuns: number;
}
