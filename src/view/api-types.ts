// The viewer's JSON API answers: the server (api.ts) builds them and the web app (viewer/src/api.ts) reads them.
// Types only, so the app's bundle takes nothing from the server's modules. The eval tab's answers are eval/'s own (StoredEval).
import type { AnnotationRecord, CandidateRecord, ModelCallRecord, NodeRecord, NodeStatsRecord, RunEndRecord, RunRecord, TaskRecord, TaskResultRecord } from '../store/records.ts';
import type { ModelCallTotals } from '../store/store.ts';
import type { TreeItem } from './tree-index.ts';
import type { ValueHistogram } from './value-histogram.ts';
import type { FamilyMember, ForkComparison, runFamilyTree } from './run-family.ts';
import type { runRow } from './run-row.ts';
import type { NodeCredit } from '../credit/compute.ts';

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

/** The API routes a server has (`/api/endpoints`): optional pages (evals, approvals, feedback) are shown only when served. */
export interface ServedEndpoints {
  get: string[];
  post: string[];
}
