import type { Environment } from '../core/environment.ts';
import type { Proposer } from '../core/step.ts';
import { getEnvironment } from '../envs/registry.ts';
import { reportProposer } from '../envs/report/index.ts';
import { createModelClient } from '../models/client.ts';
import type { ModelSpec } from '../models/spec.ts';
import { enumerateProposer } from '../propose/enumerate.ts';
import { llmProposer } from '../propose/llm.ts';
import type { Store } from '../store/store.ts';

/**
 * The environment and proposer of a feedback session. Without a model: the report environment's
 * mined proposals (other environments: their legal actions). With one: the model proposes, and for
 * reports it also executes the edits.
 */
export function feedbackComponents(envName: string, model: ModelSpec | null, store: Store): { env: Environment<any, any>; proposer: Proposer<any, any> } {
  const entry = getEnvironment(envName);
  if (!model) return { env: entry.env, proposer: envName === 'report' ? reportProposer() : enumerateProposer() };
  const client = createModelClient({ spec: model, store });
  const env = entry.withModel?.(client) ?? entry.env;
  return { env, proposer: llmProposer({ client, mode: 'list' }) };
}
