import { describeJudgmentTally, tallyJudgments, type JudgmentTally } from '../score/judgment-tally.ts';
import type { Store } from '../store/store.ts';

/** How a run's model calls went: enough to tell a run that reached its model from one that never did. */
export interface ModelCallHealth {
  calls: number;
  failed: number;
  /** The error of the first failed call, to name the cause. */
  firstError: string | null;
  /** What the run's judges could not read. */
  judgments: JudgmentTally;
}

/** Reads the run's model-call totals (and, when any failed, the first error) from the store. */
export async function modelCallHealth(store: Store, runId: string): Promise<ModelCallHealth> {
  const totals = await store.getModelCallTotals(runId);
  const calls = totals.reduce((sum, t) => sum + t.calls, 0);
  const failed = totals.reduce((sum, t) => sum + t.errors, 0);
  let firstError: string | null = null;
  const judgments = tallyJudgments([]);
  for (const { taskId } of totals) {
    if (taskId === null) continue;
    const tree = await store.getTree(runId, taskId);
    firstError ??= tree.modelCalls.find((call) => call.error !== null)?.error ?? null;
    tallyJudgments(tree.candidates, judgments);
  }
  return { calls, failed, firstError, judgments };
}

/**
 * Says on stderr when model calls failed; returns the exit code a run must end with when every one failed
 * (its tree holds no model output at all), else null.
 */
export function reportModelCallFailures(command: string, runId: string, health: ModelCallHealth): number | null {
  const judgments = describeJudgmentTally(health.judgments);
  if (judgments) console.error(`stepwise ${command}: ${judgments}`);
  if (health.judgments.unscored * 2 > health.judgments.scored) {
    console.error(`stepwise ${command}: warning: most candidates (${health.judgments.unscored} of ${health.judgments.scored}) got no score because the judge's replies could not be read`);
    console.error(`  hint: check that the judge prompt asks for the verdict the judge parses; \`stepwise show ${runId} --calls\` shows the replies`);
  }
  if (health.failed === 0) return null;
  const first = health.firstError === null ? '' : `; the first: ${health.firstError}`;
  if (health.failed === health.calls) {
    console.error(`stepwise ${command}: every one of the ${health.calls} model calls of run ${runId} failed${first}`);
    console.error('  hint: check the model server and its logs; `stepwise show ' + runId + ' --calls` lists each call and its error');
    return 1;
  }
  console.error(`stepwise ${command}: ${health.failed} of ${health.calls} model calls failed${first} (\`stepwise show ${runId} --calls\` lists them)`);
  return null;
}
