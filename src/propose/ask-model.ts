import { isFatal, SearchStopped } from '../core/errors.ts';
import type { StepContext } from '../core/step.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../models/types.ts';

export type ModelAnswer = { ok: true; reply: ModelReply } | { ok: false; reason: string };

/**
 * Sends one request; a failed call (a ModelError after the client's retries, or anything else the
 * client throws) becomes a reason instead of an exception, so one bad call never loses a step.
 * Only the engine's own stop signal and fatal errors (a missing key, a wrong model name) pass through.
 */
export async function askModel(client: ModelClient, request: ModelRequest, ctx: StepContext<any, any>): Promise<ModelAnswer> {
  try {
    return { ok: true, reply: await client.generate(request, ctx) };
  } catch (error) {
    if (error instanceof SearchStopped || isFatal(error)) throw error;
    // ModelError carries a failure kind (rate_limited, timeout, …); duck-typed so any client's errors read the same way.
    const kind = typeof error === 'object' && error !== null ? (error as { reason?: unknown }).reason : undefined;
    const name = error instanceof Error && error.name !== 'Error' ? `${error.name}${typeof kind === 'string' ? ` (${kind})` : ''}: ` : '';
    return { ok: false, reason: `model call failed (${client.spec}): ${name}${error instanceof Error ? error.message : String(error)}` };
  }
}
