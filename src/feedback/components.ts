import type { Environment } from '../core/environment.ts';
import type { Proposer } from '../core/step.ts';
import { getEnvironment } from '../envs/registry.ts';
import { createModelClient } from '../models/client.ts';
import type { ModelSpec } from '../models/spec.ts';
import { proposers } from '../recipe/components.ts';
import type { Store } from '../store/store.ts';

/**
 * The environment and proposer of a feedback session, from the registries. Without a model: the environment
 * plug-in's default proposer (the report's mined proposals), else its legal actions. With one: the model proposes
 * a list, and an environment whose steps a model carries out (report edits) takes the model too.
 */
export function feedbackComponents(envName: string, model: ModelSpec | null, store: Store): { env: Environment<any, any>; proposer: Proposer<any, any> } {
  const entry = getEnvironment(envName);
  const client = model ? createModelClient({ spec: model, store }) : null;
  const env = entry.create(entry.options.parse({}), { client });
  if (!client) return { env, proposer: entry.defaultProposer?.() ?? proposers.create('enumerate', {}, { client: null, model: null }) };
  return { env, proposer: proposers.create('llm', {}, { client, model: { spec: model!, mode: 'list' } }) };
}
