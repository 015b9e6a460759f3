// The API's answer shapes live in one module the server builds them with (type-only imports vanish at build time).
import type {
  AnnotationRecord, CandidateRecord, ChartData, Comparison, Family, FamilyMember, ForkComparison, ModelCallRecord, NodeCredit, NodeDetail,
  NodePath, NodeRecord, PathStep, RunDetail, RunRow, ServedEndpoints, TaskResultRecord, TreeItem, TreeOpening, ValueHistogram,
} from '../../src/view/api-types.ts';
import type { StoredEval } from '../../src/eval/stored-eval.ts';

export type {
  AnnotationRecord, CandidateRecord, ChartData, Comparison, Family, FamilyMember, ForkComparison, ModelCallRecord, NodeCredit, NodeDetail,
  NodePath, NodeRecord, PathStep, RunDetail, RunRow, ServedEndpoints, TaskResultRecord, TreeItem, TreeOpening, ValueHistogram,
};

/** A failed API request, with the server's message. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The ready signal (issue 17): the page's root carries `data-ready="true"` once no API request is in flight and the
 * answers have had a moment to render (and to start the requests they lead to). The event stream stays open, so a
 * headless browser's "network idle" never comes; `page.waitForSelector('#app[data-ready]')` does.
 */
const READY_SETTLE_MS = 80;
interface ReadyRoot {
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}
// Through globalThis: this module's types are also read by the server's build, which has no DOM.
const appRoot = (): ReadyRoot | null => (globalThis as { document?: { getElementById(id: string): ReadyRoot | null } }).document?.getElementById('app') ?? null;
let inFlight = 0;
let settling: ReturnType<typeof setTimeout> | undefined;

export function scheduleReady(): void {
  clearTimeout(settling);
  settling = setTimeout(() => {
    if (inFlight === 0) appRoot()?.setAttribute('data-ready', 'true');
  }, READY_SETTLE_MS);
}

export async function getJson<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const url = params.size > 0 ? `${path}?${params}` : path;
  inFlight++;
  clearTimeout(settling);
  appRoot()?.removeAttribute('data-ready');
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
    if (!response.ok) throw new ApiError(response.status, (body as { error?: string }).error ?? `HTTP ${response.status}`);
    return body as T;
  } finally {
    inFlight--;
    if (inFlight === 0) scheduleReady();
  }
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
  endpoints: () => getJson<ServedEndpoints>('/api/endpoints'),
};
