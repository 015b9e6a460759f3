import type { ImportedPuzzle, JudgedOutput } from './tot-import.ts';

/** How an imported log reads under stepwise's verifier, next to the log's own verdicts. */
export interface TotImportReport {
  kind: 'bfs' | 'cot';
  puzzles: number;
  outputs: number;
  /** Search: share of puzzles with any correct final output. Sampling: mean correctness over all samples. */
  success: { stepwise: number; log: number; measure: 'any-correct' | 'mean-over-samples' };
  /** Outputs where stepwise's answer verdict equals the log's `r`. */
  agreement: { agree: number; total: number };
  disagreements: { taskId: string; output: number; log: boolean; stepwise: boolean; reason: string | null }[];
  /** Outputs with an invalid intermediate step, by the 1-based index of the first one. */
  firstWrongStep: Record<string, number>;
  /** Outputs whose steps all hold and whose answer is correct. */
  correctAndValidSteps: number;
  /** Outputs the answer verdict accepts although a step is invalid. */
  correctDespiteWrongStep: number;
  /** Every step node in the tree (proposals included), and how many the verifier rejected. */
  stepNodes: number;
  invalidStepNodes: number;
  /** Valid step nodes whose decimals were read as the exact numbers they round (the game24 rule `resolve`). */
  roundedStepNodes: number;
}

export function totImportReport(kind: 'bfs' | 'cot', puzzles: readonly ImportedPuzzle[]): TotImportReport {
  const all: { taskId: string; index: number; output: JudgedOutput }[] = puzzles.flatMap((p) => p.outputs.map((output, index) => ({ taskId: p.taskId, index, output })));
  const rate = (pick: (o: JudgedOutput) => boolean) =>
    kind === 'bfs'
      ? puzzles.filter((p) => p.outputs.some(pick)).length / Math.max(puzzles.length, 1)
      : all.filter(({ output }) => pick(output)).length / Math.max(all.length, 1);
  const firstWrongStep: Record<string, number> = {};
  for (const { output } of all) if (output.firstWrongStep !== null) firstWrongStep[output.firstWrongStep] = (firstWrongStep[output.firstWrongStep] ?? 0) + 1;
  const stepNodes = puzzles.flatMap((p) => p.tree.nodes.filter((n) => n.judged && !n.judged.isAnswer));
  return {
    kind,
    puzzles: puzzles.length,
    outputs: all.length,
    success: { stepwise: rate((o) => o.correct), log: rate((o) => o.logCorrect), measure: kind === 'bfs' ? 'any-correct' : 'mean-over-samples' },
    agreement: { agree: all.filter(({ output }) => output.correct === output.logCorrect).length, total: all.length },
    disagreements: all.filter(({ output }) => output.correct !== output.logCorrect)
      .map(({ taskId, index, output }) => ({ taskId, output: index, log: output.logCorrect, stepwise: output.correct, reason: output.reason })),
    firstWrongStep,
    correctAndValidSteps: all.filter(({ output }) => output.correct && output.firstWrongStep === null).length,
    correctDespiteWrongStep: all.filter(({ output }) => output.correct && output.firstWrongStep !== null).length,
    stepNodes: stepNodes.length,
    invalidStepNodes: stepNodes.filter((n) => !n.judged!.check.valid).length,
    roundedStepNodes: stepNodes.filter((n) => n.judged!.check.valid && n.judged!.check.note !== undefined).length,
  };
}
