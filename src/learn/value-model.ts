import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../core/errors.ts';
import { DENSE_FEATURES, FEATURES_VERSION, type FeatureSettings, type FeatureVector } from './features.ts';

export const VALUE_MODEL_SCHEMA_VERSION = 1;

const heldOutSchema = z.object({
  examples: z.number().int(),
  tasks: z.number().int(),
  mae: z.number().nullable(),
  rmse: z.number().nullable(),
  /** The same errors for predicting the training mean everywhere. */
  baselineMae: z.number().nullable(),
  baselineRmse: z.number().nullable(),
  /** Share of sibling pairs with different targets that the model orders the same way. */
  siblingOrder: z.number().nullable(),
});

/** The value model file: a logistic regression over step features, with how it was trained and how well it does. */
export const valueModelSchema = z.object({
  $schemaVersion: z.literal(VALUE_MODEL_SCHEMA_VERSION),
  kind: z.literal('stepwise.value-model'),
  /** The environment it was trained on; the learned scorer refuses others. */
  env: z.string(),
  features: z.object({ version: z.literal(FEATURES_VERSION), hashBits: z.number().int().min(4).max(20), heuristic: z.boolean() }),
  model: z.object({
    type: z.literal('logistic'),
    /** Non-zero weights as [index, weight]; dense features first, then 2^hashBits hashed slots. */
    weights: z.array(z.tuple([z.number().int().min(0), z.number()])),
  }),
  training: z.object({
    runs: z.array(z.string()),
    trainedAt: z.string(),
    /** How leaves where search stopped were counted in the Monte Carlo targets. */
    unfinished: z.enum(['failure', 'ignore']),
    examples: z.number().int(),
    tasks: z.number().int(),
    epochs: z.number().int(),
    trainMae: z.number().nullable(),
    heldOut: heldOutSchema,
  }),
});

export type ValueModelFile = z.infer<typeof valueModelSchema>;

/** A loaded model: predicts a step's Monte Carlo value from its features. */
export interface ValueModel {
  readonly file: ValueModelFile;
  readonly features: FeatureSettings;
  predict(features: FeatureVector): number;
}

export function createValueModel(file: ValueModelFile): ValueModel {
  const weights = new Map(file.model.weights);
  return {
    file,
    features: { hashBits: file.features.hashBits, heuristic: file.features.heuristic },
    predict(features) {
      let z = 0;
      for (const [index, value] of features) z += (weights.get(index) ?? 0) * value;
      return sigmoid(z);
    },
  };
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Reads and checks a value model file; every problem is a UsageError naming the file and what to do. */
export function loadValueModel(path: string): ValueModel {
  const hint = 'train one with `stepwise train-value <run…> -o value.json`';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the value model ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { hint });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the value model ${path} is not JSON: ${(error as Error).message}`, { hint });
  }
  const version = (json as { $schemaVersion?: unknown })?.$schemaVersion;
  if (typeof version === 'number' && version > VALUE_MODEL_SCHEMA_VERSION) {
    throw new UsageError(`the value model ${path} has schema version ${version}; this stepwise reads version ${VALUE_MODEL_SCHEMA_VERSION}`, { hint: 'upgrade stepwise, or retrain the model with this one (stepwise train-value)' });
  }
  const parsed = valueModelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${path} is not a stepwise value model (${issue.path.join('.') || 'file'}: ${issue.message})`, { hint });
  }
  const limit = DENSE_FEATURES + (1 << parsed.data.features.hashBits);
  const outside = parsed.data.model.weights.find(([index]) => index >= limit);
  if (outside) throw new UsageError(`${path}: weight index ${outside[0]} is outside the ${limit} features the file declares`, { hint });
  return createValueModel(parsed.data);
}

export function saveValueModel(path: string, file: ValueModelFile): void {
  try {
    writeFileSync(path, `${JSON.stringify(valueModelSchema.parse(file))}\n`);
  } catch (error) {
    if (error instanceof z.ZodError) throw error;
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`, { hint: 'pass -o <file> in a folder that exists and is writable' });
  }
}
