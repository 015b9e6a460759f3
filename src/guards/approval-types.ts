import type { ApprovalDecision } from '../core/step.ts';

// Plain types only: the viewer's approval page imports them without pulling the server's modules into its build.

/** A candidate a guard held for a person, with the path that led to it. */
export interface PendingApproval {
  runId: string;
  taskId: string;
  nodeId: string;
  /** The held candidate's id: what a decision is recorded against. */
  candidateId: string;
  actionText: string;
  /** Which guard asked, and why. */
  guard: string;
  reason: string;
  /** The steps from the task's start to the node: each action and what it returned. */
  path: { actionText: string; observation: string }[];
  /** The decision already recorded, if any. */
  decision: ApprovalDecision | null;
}

/** A run holding actions for approval, as the viewer's approval page lists it. */
export interface ApprovalRun {
  runId: string;
  env: string;
  strategy: string;
  /** The run's end status (`paused` while it waits), or `running or killed`. */
  status: string;
  startedAt: string;
  approvals: PendingApproval[];
}

/** What `GET /api/approvals` answers: every run with held actions, newest first, and who decides by default. */
export interface ApprovalList {
  runs: ApprovalRun[];
  by: string;
}

/** What `POST /api/approvals/decide` takes: a decision on one held candidate. */
export interface ApprovalAnswer {
  runId: string;
  candidateId: string;
  verdict: ApprovalDecision['verdict'];
  reason?: string;
  actionText?: string;
  by?: string;
}
