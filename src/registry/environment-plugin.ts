import type { z } from 'zod';
import type { Environment, Problem, StepCheck, Task } from '../core/environment.ts';
import type { Proposer } from '../core/step.ts';
import type { ResolvedKeyNode } from '../eval/key-node.ts';
import type { ModelClient } from '../models/types.ts';
import type { PromptView } from '../prompts/view.ts';
import type { RegistryEntry } from './registry.ts';

export interface TaskLoadOptions {
  /** PDDL domain file, for STRIPS problem paths. */
  domain?: string;
}

/** What an environment is built with: the run's model client, for environments whose steps a model carries out. */
export interface EnvironmentContext {
  client: ModelClient | null;
}

/** Parsers to try, in order, on one piece of model text (the environment's own `parseAction` is the default). */
export type ActionParsers<A = any> = (text: string) => ((text: string) => A)[];

/**
 * Everything stepwise knows about one environment, in its own folder (`src/envs/<name>/plugin.ts`, or a user's
 * plug-in). Only `env`, `describe`, `taskSpecs` and `loadTasks` are required; the rest refine prompts, parsing,
 * evaluation and feedback, and general modules fall back to generic behaviour without them.
 */
export interface EnvironmentPlugin<S = any, A = any, P = any> {
  env: Environment<S, A, P>;
  describe: string;
  /** Examples of task specs (`--tasks`), shown in help and errors. */
  taskSpecs: string[];
  loadTasks(spec: string, options: TaskLoadOptions): Task[];
  /** Splits a written solution (a plan file, a list of steps) into step texts and an optional final answer (`stepwise verify`). */
  parseSolution?(text: string): { steps: string[]; answer: string | null };
  /** Checks a final answer line, for environments that have one. */
  checkAnswer?(task: Task, answer: string): StepCheck;
  /** The environment when a model is configured, for environments whose steps a model carries out (report edits). */
  withModel?(client: ModelClient): Environment<S, A, P>;
  /** How states and actions read in prompts for a loaded task (undefined: the problem's `render` and `formatAction`). */
  promptView?(problem: Problem<S, A>): PromptView<S, A> | undefined;
  /** Parsers for model text at a loaded task, tried in order (undefined: `env.parseAction`). */
  actionParsers?(problem: Problem<S, A>): ActionParsers<A> | undefined;
  /** Key nodes known from the task alone, for evaluation (`keyNodes.derive` in suites). */
  deriveKeyNodes?(task: Task<P>): ResolvedKeyNode[];
  /** The proposer when no model is configured where listing legal actions is not the right default (feedback sessions). */
  defaultProposer?(): Proposer<S, A>;
  /** Built-in prompt folders by prompt family (`<folder>/propose.prompt` …), named by `promptView().family`. */
  promptFolders?: Record<string, string>;
  /** The registry name; `env.name` by default. */
  name?: string;
  /** Options for building the environment (none by default). */
  options?: z.ZodType;
  /** Builds the environment from its options; by default `withModel(client)` when a model is configured, else `env`. */
  create?(options: any, context: EnvironmentContext): Environment<S, A, P>;
}

/** An environment as the registry holds it: a plug-in with its name, options and `create` filled in. */
export type EnvironmentRegistryEntry = RegistryEntry<Environment<any, any, any>, EnvironmentContext> & EnvironmentPlugin;

/** The name environments had before plug-ins: an `EnvironmentPlugin` (entries written for `ENVIRONMENTS` carry over as they are). */
export type EnvironmentEntry<S = any, A = any, P = any> = EnvironmentPlugin<S, A, P>;

/** Types an environment plug-in at its definition. */
export function defineEnvironmentPlugin<S, A, P>(plugin: EnvironmentPlugin<S, A, P>): EnvironmentPlugin<S, A, P> {
  return plugin;
}
