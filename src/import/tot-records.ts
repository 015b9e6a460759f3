import { basename } from 'node:path';
import { newRunId, nodeId as makeNodeId, candidateId as makeCandidateId } from '../core/ids.ts';
import { STEPWISE_VERSION } from '../core/version.ts';
import { checkAnswer } from '../envs/game24/answer.ts';
import { game24Environment, game24GoalText } from '../envs/game24/env.ts';
import { game24StateKey, renderGame24State } from '../envs/game24/step.ts';
import type { Store } from '../store/store.ts';
import type { TaskOutcome } from '../store/records.ts';
import type { ImportNode } from './import-tree.ts';
import { TOT_MAX_VALUE, type ImportedPuzzle } from './tot-import.ts';

export interface ImportedRun {
  runId: string;
  tasks: number;
  nodes: number;
  solved: number;
}

/**
 * Writes imported puzzles as one stepwise run (origin kind 'import'; the origin's runId is the run itself,
 * since the search it records ran outside stepwise, and the log path is in `taskSpec` and `tags.log`).
 * A finished output (a BFS final level or a sample's last line) is a terminal node, successful when stepwise's
 * verifier accepts its answer; proposals the log scored carry that value as a candidate score.
 */
export function writeImportedRun(store: Store, kind: 'bfs' | 'cot', path: string, puzzles: readonly ImportedPuzzle[]): ImportedRun {
  const runId = newRunId();
  const now = new Date().toISOString();
  const scorer = 'tot-gpt4-value';
  store.append({
    type: 'run', id: runId, startedAt: now,
    env: { name: game24Environment.name, version: game24Environment.version },
    strategy: { name: kind === 'bfs' ? 'tot-bfs' : 'tot-cot-samples', config: { imported: true, levels: puzzles[0]?.levels ?? 0 } },
    proposer: { name: 'import:tot-log' },
    scorers: kind === 'bfs' ? [{ name: scorer, weight: 1, config: { scale: `raw / ${TOT_MAX_VALUE}` } }] : [],
    budget: {}, seed: 0, taskSpec: path, stepwiseVersion: STEPWISE_VERSION,
    tags: { import: `tot-${kind}`, log: basename(path) },
    origin: { kind: 'import', runId, nodeId: null },
  });
  let seq = 0;
  const outcomes: Record<TaskOutcome, number> = { solved: 0, unsolvable: 0, budget_exhausted: 0, failed: 0 };
  let nodeCount = 0;
  puzzles.forEach((imported, index) => {
    const { tree, taskId, puzzle } = imported;
    store.append({
      type: 'task', runId, taskId, index, source: `${path}#${imported.idx}`, spec: { numbers: puzzle }, meta: { totIdx: imported.idx },
      goalText: game24GoalText(tree.root.state.numbers), startedAt: now,
    });
    const ids = new Map<ImportNode, string>();
    for (const node of tree.nodes) ids.set(node, makeNodeId(runId, seq++));
    const success = (node: ImportNode) => node.terminal && checkAnswer(puzzle, node.text).valid;
    const candidateIds = new Map<ImportNode, string>();
    for (const parent of tree.nodes) {
      parent.children.forEach((child, index) => {
        const id = makeCandidateId(ids.get(parent)!, index);
        candidateIds.set(child, id);
        const raw = child.proposals[0]?.value ?? null;
        store.append({
          type: 'candidate', runId, taskId, id, nodeId: ids.get(parent)!, index, action: child.judged!.action, text: child.judged!.text,
          proposer: 'import:tot-log', prior: null, invalidReason: null,
          scores: raw === null ? [] : [{ scorer, value: Math.min(raw / TOT_MAX_VALUE, 1), detail: `GPT-4 value ${raw}` }],
          value: raw === null ? null : Math.min(raw / TOT_MAX_VALUE, 1),
        });
      });
    }
    for (const node of tree.nodes) {
      const judged = node.judged;
      const won = success(node);
      store.append({
        type: 'node', runId, taskId, id: ids.get(node)!, parentId: node.parent ? ids.get(node.parent)! : null, depth: node.depth,
        action: judged?.action ?? null, actionText: judged?.text ?? null, candidateId: candidateIds.get(node) ?? null,
        state: node.state, stateKey: judged?.stateKey ?? game24StateKey(node.state),
        observation: judged?.observation ?? renderGame24State(node.state), reward: won ? 1 : 0,
        check: judged?.check ?? { valid: true }, terminal: node.terminal, success: won, duplicateOf: null, createdAt: Date.now(),
      });
      if (node.parent) {
        store.append({
          type: 'node_stats', runId, nodeId: ids.get(node)!, visits: 0, value: node.proposals[0]?.value == null ? null : Math.min(node.proposals[0].value / TOT_MAX_VALUE, 1),
          selected: node.selected, pruned: node.selected || node.terminal ? null : `not among the ones ToT kept at depth ${node.depth}`,
        });
      }
    }
    nodeCount += tree.nodes.length;
    const solutionIndex = imported.outputs.findIndex((output) => output.correct);
    const solution = solutionIndex >= 0 ? tree.nodes[imported.outputNodes[solutionIndex]] : null;
    const outcome: TaskOutcome = solution ? 'solved' : 'failed';
    outcomes[outcome]++;
    const plan: string[] = [];
    for (let n = solution; n?.parent; n = n.parent) plan.unshift(n.judged!.text);
    store.append({
      type: 'task_result', runId, taskId, outcome, stopReason: null, solutionNodeId: solution ? ids.get(solution)! : null, plan: solution ? plan : null,
      expansions: tree.nodes.filter((n) => n.children.length > 0).length, nodes: tree.nodes.length, wallMs: 0, finishedAt: now,
    });
  });
  store.append({ type: 'run_end', runId, finishedAt: new Date().toISOString(), outcomes, wallMs: 0, status: 'completed' });
  return { runId, tasks: puzzles.length, nodes: nodeCount, solved: outcomes.solved };
}
