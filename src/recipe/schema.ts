import { z } from 'zod';
import { UsageError } from '../core/errors.ts';
import type { RunRecipe } from '../store/records.ts';

const component = z.object({ name: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() });
const wholeAtLeast = (min: number) => z.number().int().min(min);

/**
 * The run recipe as JSON: the one vocabulary a CLI run, a stored run, an eval configuration and a queue job share.
 * Components are named by registry name; their options are checked by the registries when the run is built.
 * Unknown fields are kept, so a recipe recorded by a newer stepwise still reads.
 */
export const runRecipeSchema = z.looseObject({
  env: z.string().min(1),
  tasks: z.string(),
  domain: z.string().optional(),
  strategy: z.string().min(1),
  strategyOptions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.undefined()])).default({}),
  budget: z.object({ expansions: wholeAtLeast(1).optional(), wallMs: z.number().positive().optional(), modelCalls: wholeAtLeast(1).optional(), tokens: wholeAtLeast(1).optional() }).default({}),
  maxDepth: wholeAtLeast(1).optional(),
  seed: z.number().int().default(0),
  scorers: z.array(z.string().min(1)).default(['heuristic']),
  model: z
    .object({
      spec: z.string().min(1),
      prompt: z.string().optional(),
      judgePrompt: z.string().optional(),
      mode: z.enum(['samples', 'list', 'tools']).optional(),
      temperature: z.number().min(0).max(2).optional(),
      concurrency: wholeAtLeast(1).optional(),
      timeoutMs: z.number().positive().optional(),
      judgeSamples: wholeAtLeast(1).optional(),
    })
    .nullable()
    .default(null),
  concurrency: wholeAtLeast(1).optional(),
  taskConcurrency: wholeAtLeast(1).optional(),
  forkAction: z.object({ action: z.unknown(), text: z.string() }).optional(),
  proposer: component.optional(),
  scorerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  guards: z.array(component).optional(),
  maxWorlds: wholeAtLeast(1).optional(),
  plugins: z.array(z.object({ name: z.string(), version: z.string().optional(), specifier: z.string().optional() })).optional(),
});

/** Validates a recipe (a queue job, a file); errors name the path of every bad field. */
export function parseRecipe(value: unknown, source = 'recipe'): RunRecipe {
  const parsed = runRecipeSchema.safeParse(value);
  if (parsed.success) return parsed.data as RunRecipe;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
  throw new UsageError(`${source} is not a valid run recipe:\n${lines.join('\n')}`, { hint: 'a recipe names env, tasks, strategy, strategyOptions, budget, seed, scorers and model, as `stepwise show --provenance` prints them' });
}
