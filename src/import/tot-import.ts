import { checkAnswer } from '../envs/game24/answer.ts';
import { outputLines } from './game24-replay.ts';
import { createImportTree, type ImportTree } from './import-tree.ts';
import type { TotBfsEntry, TotCotEntry } from './tot-log.ts';

/** One final output of the log with both verdicts and where its steps first went wrong. */
export interface JudgedOutput {
  text: string;
  /** The log's own verdict (`infos[i].r`). */
  logCorrect: boolean;
  /** stepwise's verdict on the final answer, judged as the paper does (the answer line only). */
  correct: boolean;
  /** 1-based index of the first invalid intermediate step (the answer line excluded); null when every step holds. */
  firstWrongStep: number | null;
  steps: number;
  /** Why stepwise rejected the answer, when it did. */
  reason: string | null;
}

export interface ImportedPuzzle {
  taskId: string;
  idx: number;
  puzzle: number[];
  tree: ImportTree;
  outputs: JudgedOutput[];
  /** The node of each output, in `outputs` order. */
  outputNodes: number[];
  /** Log level (BFS) count; 1 for sampling. */
  levels: number;
}

/** ToT's value map sums 3 samples of sure = 20, likely = 1, impossible = 0.001: 60 is the most a state can get. */
export const TOT_MAX_VALUE = 60;

/** Rebuilds one puzzle of a BFS log: every level's proposals (merged by prefix) with their values; the kept ones selected. */
export function importBfsEntry(entry: TotBfsEntry): ImportedPuzzle {
  const puzzle = entry.steps[0].x.trim().split(/\s+/).map(Number);
  const tree = createImportTree(puzzle);
  const last = entry.steps.length - 1;
  let order = 0;
  entry.steps.forEach((level, i) => {
    level.new_ys.forEach((text, j) => {
      const node = tree.follow(text, true);
      node.proposals.push({ value: level.values[j] ?? null, order: order++ });
      if (i === last) node.terminal = true;
    });
    for (const text of level.select_new_ys) tree.follow(text, true).selected = true;
  });
  const outputNodes = entry.ys.map((text) => tree.follow(text, true));
  for (const node of outputNodes) node.terminal = true;
  return {
    taskId: `tot-${entry.idx}`, idx: entry.idx, puzzle, tree, levels: entry.steps.length,
    outputs: entry.ys.map((text, i) => judgeOutput(puzzle, text, entry.infos[i].r === 1, tree)),
    outputNodes: outputNodes.map((node) => node.seq),
  };
}

/** Rebuilds one puzzle of a sampling log: one branch per sample from a shared root. */
export function importCotEntry(entry: TotCotEntry, puzzle: number[]): ImportedPuzzle {
  const tree = createImportTree(puzzle);
  const outputNodes = entry.ys.map((text) => {
    const node = tree.follow(text, false);
    node.terminal = true;
    node.selected = true;
    return node;
  });
  return {
    taskId: `tot-${entry.idx}`, idx: entry.idx, puzzle, tree, levels: 1,
    outputs: entry.ys.map((text, i) => judgeOutput(puzzle, text, entry.infos[i].r === 1, tree)),
    outputNodes: outputNodes.map((node) => node.seq),
  };
}

function judgeOutput(puzzle: number[], text: string, logCorrect: boolean, tree: ImportTree): JudgedOutput {
  const check = checkAnswer(puzzle, text);
  // Walk the output's own branch: with merged prefixes the nodes are shared, and their verdicts are the same.
  let at = tree.root;
  let firstWrongStep: number | null = null;
  let steps = 0;
  for (const line of outputLines(text)) {
    const next = at.children.find((child) => child.judged?.text === line);
    if (!next) break;
    at = next;
    if (at.judged!.isAnswer) continue;
    steps++;
    if (firstWrongStep === null && !at.judged!.check.valid) firstWrongStep = steps;
  }
  return { text, logCorrect, correct: check.valid, firstWrongStep, steps, reason: check.valid ? null : check.reason ?? 'wrong' };
}
