import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../core/errors.ts';
import { parseDuration } from '../core/duration.ts';
import { hashString } from '../core/rng.ts';
import { suiteKeyNodeSchema } from './key-node.ts';

const name = z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'use letters, digits, -, _ and . (it becomes a tag and a file name)');
const positiveInt = z.number().int().positive();
const duration = z.union([z.number().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const ms = parseDuration(value);
  if (ms === null || ms === 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 30s or 2m, got "${value}"` });
    return z.NEVER;
  }
  return ms;
});

const keyNodesSchema = z
  .object({
    /** Add the key nodes the environment derives from each task (STRIPS goal facts, Game of 24 solvable states). */
    derive: z.boolean().default(true),
    /** Written by hand, checked on every task of the set. */
    all: z.array(suiteKeyNodeSchema).default([]),
    /** Written by hand for single tasks, by task id. */
    byTask: z.record(z.string(), z.array(suiteKeyNodeSchema)).default({}),
  })
  .strict();

const taskSetSchema = z
  .object({
    name,
    env: z.string(),
    /** A task spec as `stepwise run --tasks` takes it; paths are relative to the folder stepwise runs in. */
    tasks: z.string().min(1),
    domain: z.string().optional(),
    /** Only the first n tasks of the spec. */
    limit: positiveInt.optional(),
    keyNodes: keyNodesSchema.default({ derive: true, all: [], byTask: {} }),
  })
  .strict();

const modelSchema = z.union([
  z.string().min(1).transform((spec) => ({ spec })),
  z
    .object({
      spec: z.string().min(1),
      prompt: z.string().optional(),
      judgePrompt: z.string().optional(),
      mode: z.enum(['samples', 'list']).optional(),
      temperature: z.number().min(0).max(2).optional(),
      judgeSamples: positiveInt.optional(),
      concurrency: positiveInt.optional(),
      timeout: duration.optional(),
    })
    .strict(),
]);

/** A component named in a configuration: a registry name and its options. */
const component = z.object({ name: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() }).strict();

const configSchema = z
  .object({
    name,
    strategy: z.string(),
    /** Strategy options as `stepwise run` flags take them (width, k, simulations …). */
    options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** As `stepwise run --scorer`: registry names (a plug-in's too); `learned:<value.json>` is a file from `stepwise train-value`, relative to where stepwise runs. */
    scorers: z.array(z.string().min(1)).optional(),
    /** Options of named scorers, by scorer name (as a run recipe's `scorerOptions`). */
    scorerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** The proposer and guards by registry name, as in a run recipe (a plug-in's too). */
    proposer: component.optional(),
    guards: z.array(component).optional(),
    model: modelSchema.optional(),
    budget: z
      .object({ expansions: positiveInt.optional(), timeLimit: duration.optional(), modelCalls: positiveInt.optional(), tokens: positiveInt.optional() })
      .strict()
      .default({}),
    maxDepth: positiveInt.optional(),
  })
  .strict();

const REDUCER = /^(mean|max|majority|pass@[1-9]\d*)$/;

export const suiteSchema = z
  .object({
    name,
    description: z.string().optional(),
    /** Epoch e runs with a seed derived from (seed, e); every configuration gets the same epoch seeds. */
    seed: z.number().int().default(0),
    epochs: positiveInt.default(1),
    reducers: z.array(z.string().regex(REDUCER, 'a reducer is mean, max, majority or pass@k')).default(['mean', 'max', 'majority']),
    /** Proposer/scorer calls in flight per run, tasks searched at once per run, runs at once. */
    concurrency: positiveInt.optional(),
    parallelTasks: positiveInt.optional(),
    parallelRuns: positiveInt.default(2),
    /** The model that scores semantic key nodes. */
    judge: z.object({ model: z.string().min(1) }).strict().optional(),
    tasks: z.array(taskSetSchema).min(1),
    configs: z.array(configSchema).min(1),
  })
  .strict()
  .superRefine((suite, ctx) => {
    for (const [field, list] of [['tasks', suite.tasks], ['configs', suite.configs]] as const) {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.name)) ctx.addIssue({ code: 'custom', message: `duplicate name "${item.name}"`, path: [field, i, 'name'] });
        seen.add(item.name);
      });
    }
    for (const reducer of suite.reducers) {
      const k = reducer.startsWith('pass@') ? Number(reducer.slice(5)) : 0;
      if (k > suite.epochs) ctx.addIssue({ code: 'custom', message: `${reducer} needs at least ${k} epochs (the suite has ${suite.epochs})`, path: ['reducers'] });
    }
  });

export type Suite = z.output<typeof suiteSchema>;
export type SuiteInput = z.input<typeof suiteSchema>;
export type SuiteConfig = Suite['configs'][number];
export type SuiteTaskSet = Suite['tasks'][number];

/** Validates a suite object; errors name the path of every bad field. */
export function parseSuite(value: unknown, source = 'suite'): Suite {
  const parsed = suiteSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
  throw new UsageError(`${source} is not a valid suite:\n${lines.join('\n')}`, { hint: 'see `stepwise eval --help` for the suite format, or examples/suites/' });
}

/** Reads a suite from YAML (.yaml/.yml/.json) or a TypeScript/JavaScript module whose default export is the suite. */
export async function loadSuite(path: string): Promise<Suite> {
  const extension = extname(path).toLowerCase();
  if (['.ts', '.mts', '.js', '.mjs'].includes(extension)) {
    let module: { default?: unknown };
    try {
      module = await import(pathToFileURL(resolve(path)).href);
    } catch (error) {
      throw new UsageError(`cannot load the suite module ${path}: ${(error as Error).message}`, { hint: 'a suite module exports the suite object as its default export' });
    }
    if (module.default === undefined) throw new UsageError(`${path} has no default export`, { hint: 'write `export default { name: …, tasks: […], configs: […] }`' });
    return parseSuite(module.default, path);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the suite ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseSuite(value, path);
}

/** The eval id a suite gets by default: its name and a hash of its content, so an edited suite starts afresh. */
export function defaultEvalId(suite: Suite): string {
  const hash = createHash('sha256').update(JSON.stringify(suite));
  // A value model retrained at the same path is another configuration: its bytes are part of the id.
  for (const scorer of suite.configs.flatMap((config) => config.scorers ?? [])) {
    if (!scorer.startsWith('learned:')) continue;
    try {
      hash.update(readFileSync(scorer.slice('learned:'.length)));
    } catch {
      // A missing file is refused, with its path, before anything runs.
    }
  }
  return `${suite.name}-${hash.digest('hex').slice(0, 8)}`;
}

/** Epoch e's seed: deterministic, different per epoch, the same for every configuration (paired comparisons). */
export function epochSeed(suiteSeed: number, epoch: number): number {
  return hashString(`${suiteSeed}:${epoch}`) % 2_147_483_647;
}
