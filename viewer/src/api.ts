// The API's answer shapes live in one module the server builds them with (type-only imports vanish at build time).
import type {
  AnnotationRecord, CandidateRecord, ChartData, Comparison, Family, FamilyMember, ForkComparison, ModelCallRecord, NodeCredit, NodeDetail,
  NodePath, NodeRecord, PathStep, RunDetail, RunRow, TaskResultRecord, TreeItem, TreeOpening, ValueHistogram,
} from '../../src/view/api-types.ts';
import type { StoredEval } from '../../src/eval/stored-eval.ts';

export type {
  AnnotationRecord, CandidateRecord, ChartData, Comparison, Family, FamilyMember, ForkComparison, ModelCallRecord, NodeCredit, NodeDetail,
  NodePath, NodeRecord, PathStep, RunDetail, RunRow, TaskResultRecord, TreeItem, TreeOpening, ValueHistogram,
};

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
