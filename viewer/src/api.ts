// Types come from the server's own modules (type-only imports vanish at build time).
import type { AnnotationRecord, CandidateRecord, ModelCallRecord, NodeRecord, NodeStatsRecord, RunEndRecord, RunRecord, TaskRecord, TaskResultRecord } from '../../src/store/records.ts';
import type { ModelCallTotals } from '../../src/store/store.ts';
import type { TreeItem } from '../../src/view/tree-index.ts';
import type { ValueHistogram } from '../../src/view/value-histogram.ts';
import type { StoredEval } from '../../src/eval/stored-eval.ts';
import type { FamilyMember, ForkComparison, runFamilyTree } from '../../src/view/run-family.ts';
import type { runRow } from '../../src/view/run-row.ts';
import type { NodeCredit } from '../../src/credit/compute.ts';

export type { FamilyMember, ForkComparison, NodeCredit, ValueHistogram };

export type { AnnotationRecord, CandidateRecord, ModelCallRecord, NodeRecord, TaskResultRecord, TreeItem };

/** One row of the runs table. */
export type RunRow = Awaited<ReturnType<typeof runRow>>;

export interface RunDetail {
  row: RunRow;
  run: RunRecord;
  end: RunEndRecord | null;
  tasks: { taskId: string; index: number; goalText: string; source: string; result: TaskResultRecord | null; calls: ModelCallTotals | null }[];
}

export interface TreeOpening {
  mark: string;
  /** Only the tree's first rows, indexed alone, while the server indexes the whole tree. */
  partial: boolean;
  task: TaskRecord;
  result: TaskResultRecord | null;
  nodeCount: number;
  candidateCount: number;
  rootId: string | null;
  /** Items carry their stored Monte Carlo value (`stepwise credit` ran on the task). */
  hasCredit: boolean;
  solutionPath: string[];
  values: ValueHistogram;
  items: TreeItem[];
}

export interface NodeDetail {
  node: NodeRecord;
  stats: NodeStatsRecord | null;
  candidates: CandidateRecord[];
  modelCalls: ModelCallRecord[];
  rendered: string | null;
  annotations: AnnotationRecord[];
  path: string[];
  scorers: { name: string; weight: number }[];
}

/** The runs linked by origin, each under the run it comes from. */
export type Family = Awaited<ReturnType<typeof runFamilyTree>>;

export interface PathStep {
  id: string;
  depth: number;
  actionText: string | null;
  observation: string;
  value: number | null;
  reward: number;
  valid: boolean;
  checkReason: string | null;
  terminal: boolean;
  success: boolean;
}

export interface NodePath {
  runId: string;
  taskId: string;
  nodeId: string;
  steps: PathStep[];
}

export interface Comparison {
  a: NodePath;
  b: NodePath;
  divergeAt: number | null;
}

export interface ChartData {
  runs: {
    id: string;
    label: string;
    tasks: number;
    solvedAt: number[];
    perTask: { taskId: string | null; calls: number; tokens: number }[];
    expansionsPerTask: { taskId: string; expansions: number }[];
  }[];
}

/** A failed API request, with the server's message. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function getJson<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const url = params.size > 0 ? `${path}?${params}` : path;
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new ApiError(response.status, (body as { error?: string }).error ?? `HTTP ${response.status}`);
  return body as T;
}

export const seg = encodeURIComponent;

export const api = {
  runs: () => getJson<{ mark: string; runs: RunRow[] }>('/api/runs'),
  run: (runId: string) => getJson<RunDetail>(`/api/runs/${seg(runId)}`),
  family: (runId: string) => getJson<Family>(`/api/runs/${seg(runId)}/family`),
  tree: (runId: string, taskId: string, rows?: number, whole = false) =>
    getJson<TreeOpening>(`/api/runs/${seg(runId)}/tasks/${seg(taskId)}/tree`, { rows, whole: whole ? 1 : undefined }),
  children: (runId: string, taskId: string, nodeId: string, offset: number, limit: number) =>
    getJson<{ items: TreeItem[]; total: number }>(`/api/runs/${seg(runId)}/tasks/${seg(taskId)}/children`, { node: nodeId, offset, limit }),
  node: (runId: string, nodeId: string) => getJson<NodeDetail>(`/api/runs/${seg(runId)}/nodes/${seg(nodeId)}`),
  compare: (runA: string, nodeA: string, runB: string, nodeB: string) => getJson<Comparison>('/api/compare', { runA, nodeA, runB, nodeB }),
  charts: () => getJson<ChartData>('/api/charts'),
  evals: () => getJson<{ evals: StoredEval[] }>('/api/evals'),
};
