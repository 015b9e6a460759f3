import { z } from 'zod';
import { StepwiseError } from '../core/errors.ts';
import type { ApiRoute } from '../view/api.ts';
import { badRequest, notFound, ViewRequestError } from '../view/http-error.ts';
import type { WriteRoute } from '../view/server.ts';
import type { ApprovalAnswer, ApprovalList, ApprovalRun } from './approval-types.ts';
import { approvalsOf, recordApproval } from './approvals.ts';

export const approvalAnswerSchema = z
  .object({
    runId: z.string().min(1),
    candidateId: z.string().min(1),
    verdict: z.enum(['approve', 'reject', 'edit']),
    reason: z.string().max(2000).optional(),
    actionText: z.string().max(8000).optional(),
    by: z.string().min(1).max(100).optional(),
  })
  .strict() satisfies z.ZodType<ApprovalAnswer>;

/** How many runs the page looks through for held actions (newest first). */
const RUNS_SCANNED = 500;

/**
 * The viewer's approval page API (`stepwise view --approvals`): GET every held action of the store's runs with the
 * path that led to it; POST a decision on one, recorded exactly as `stepwise approve` records it. The POST is the
 * server's only write; without `--approvals` neither route exists and the viewer stays read-only.
 */
export function approvalRoutes(options: { by: string }): { routes: ApiRoute[]; writes: WriteRoute[] } {
  return {
    routes: [
      {
        path: '/api/approvals',
        async handle(_params, _query, { store }): Promise<ApprovalList> {
          const runs: ApprovalRun[] = [];
          for (const summary of await store.listRuns({ limit: RUNS_SCANNED })) {
            const approvals = await approvalsOf(store, summary.run.id);
            if (approvals.length === 0) continue;
            const { run, end } = summary;
            runs.push({ runId: run.id, env: run.env.name, strategy: run.strategy.name, status: end?.status ?? 'running or killed', startedAt: run.startedAt, approvals });
          }
          return { runs, by: options.by };
        },
      },
    ],
    writes: [
      {
        path: '/api/approvals/decide',
        async handle(body, { store }) {
          const parsed = approvalAnswerSchema.safeParse(body);
          if (!parsed.success) throw badRequest(`not a decision: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
          const answer = parsed.data;
          const [summary] = await store.listRuns({ idPrefix: answer.runId });
          if (!summary || summary.run.id !== answer.runId) throw notFound(`there is no run ${answer.runId} in this store`, 'reload the approval page');
          if (summary.end?.status === 'completed') throw new ViewRequestError(409, `run ${answer.runId} has already completed: its held actions can no longer be decided`);
          const held = (await approvalsOf(store, answer.runId)).find((h) => h.candidateId === answer.candidateId);
          if (!held) throw notFound(`run ${answer.runId} holds no candidate ${answer.candidateId} for approval`, 'reload the approval page');
          try {
            recordApproval(store, held, { verdict: answer.verdict, reason: answer.reason?.trim() || undefined, actionText: answer.actionText, by: answer.by?.trim() || options.by });
          } catch (error) {
            if (error instanceof StepwiseError) throw badRequest(error.message, error.hint);
            throw error;
          }
          await store.flush();
          return { recorded: true, next: `stepwise resume ${answer.runId}` };
        },
      },
    ],
  };
}
