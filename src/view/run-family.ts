import type { RunOrigin, RunSummary } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { nodeOf } from './borrowed-node.ts';
import { notFound } from './http-error.ts';
import { runRow } from './run-row.ts';

/** What to lay side by side for a fork and its origin: both runs' ends of the task the fork branched in. */
export interface ForkComparison {
  taskId: string;
  /** The node the fork branches from (the fork point, shared by both paths). */
  forkAt: string;
  /** The origin's solution in that task, else the fork point. */
  originNode: string;
  /** The fork's solution in that task, else its deepest own node, else the fork point. */
  forkNode: string;
  originSolved: boolean;
  forkSolved: boolean;
}

/** One run of a family, placed under the run it comes from. */
export interface FamilyMember {
  row: Awaited<ReturnType<typeof runRow>>;
  /** The member it comes from (null for the family's first run). */
  parentId: string | null;
  /** 0 for the first run, 1 for its forks, 2 for forks of forks … */
  generation: number;
  origin: RunOrigin | null;
  compare: ForkComparison | null;
}

/** The runs linked to `runId` by origin (its ancestors, their forks, forks of forks), first run first, depth-first. */
export async function runFamilyTree(store: Store, runId: string): Promise<{ runId: string; rootId: string; members: FamilyMember[] }> {
  const all = await store.listRuns();
  const byId = new Map(all.map((summary) => [summary.run.id, summary]));
  if (!byId.has(runId)) throw notFound(`No run ${runId} in this store.`, 'Pick a run from the runs table.');
  // A resume or an import names the run itself as its origin: only links to another run make a family.
  const parentOf = (summary: RunSummary) => {
    const origin = summary.run.origin;
    return origin && origin.runId !== summary.run.id && byId.has(origin.runId) ? origin.runId : null;
  };
  const children = new Map<string, RunSummary[]>();
  for (const summary of all) {
    const parent = parentOf(summary);
    if (parent === null) continue;
    const list = children.get(parent) ?? [];
    list.push(summary);
    children.set(parent, list);
  }
  let rootId = runId;
  for (const seen = new Set([rootId]); ; ) {
    const parent = parentOf(byId.get(rootId)!);
    if (parent === null || seen.has(parent)) break;
    seen.add(parent);
    rootId = parent;
  }
  const members: FamilyMember[] = [];
  const visit = async (summary: RunSummary, parentId: string | null, generation: number) => {
    members.push({
      row: await runRow(store, summary),
      parentId,
      generation,
      origin: summary.run.origin ?? null,
      compare: parentId === null ? null : await forkComparison(store, summary, byId.get(parentId)!),
    });
    const kids = (children.get(summary.run.id) ?? []).sort((a, b) => a.run.startedAt.localeCompare(b.run.startedAt));
    for (const child of kids) if (!members.some((m) => m.row.id === child.run.id)) await visit(child, summary.run.id, generation + 1);
  };
  await visit(byId.get(rootId)!, null, 0);
  return { runId, rootId, members };
}

async function forkComparison(store: Store, fork: RunSummary, origin: RunSummary): Promise<ForkComparison | null> {
  const forkAt = fork.run.origin?.nodeId;
  if (fork.run.origin?.kind !== 'fork' || !forkAt) return null;
  // The fork node may itself be borrowed from further up the family.
  const node = await nodeOf(store, origin.run.id, forkAt);
  if (!node) return null;
  const taskId = node.node.taskId;
  const originSolution = origin.results.find((r) => r.taskId === taskId)?.solutionNodeId ?? null;
  const forkSolution = fork.results.find((r) => r.taskId === taskId)?.solutionNodeId ?? null;
  return {
    taskId,
    forkAt,
    originNode: originSolution ?? forkAt,
    forkNode: forkSolution ?? (await deepestOwnNode(store, fork.run.id, taskId)) ?? forkAt,
    originSolved: originSolution !== null,
    forkSolved: forkSolution !== null,
  };
}

async function deepestOwnNode(store: Store, runId: string, taskId: string): Promise<string | null> {
  try {
    const outline = await store.getTreeOutline(runId, taskId, { limit: 5000 });
    let deepest: string | null = null;
    let depth = -1;
    for (const node of outline.nodes) if (node.depth > depth) [deepest, depth] = [node.id, node.depth];
    return deepest;
  } catch {
    return null;
  }
}
