import type { z } from 'zod';
import type { StepContext } from './step.ts';
import type { ToolSpec, World } from './world.ts';

export type MaybePromise<T> = T | Promise<T>;

/** The environment's verdict on one step: was the action allowed here, and if not, why. */
export interface StepCheck {
  valid: boolean;
  /** Human-readable reason for an invalid step, naming what was wrong (e.g. the unmet preconditions). */
  reason?: string;
  /**
   * For a valid step: what was accepted with a caveat, in words (Game of 24: `rounded: 2.67 read as 8/3`). `show` and
   * the viewer print it beside the step.
   */
  note?: string;
  /** Machine-readable detail, e.g. `{ unmet: ['(clear b)'] }`. Must be JSON-serializable. */
  detail?: Record<string, unknown>;
}

/** The result of applying one action to one state. States are plain JSON-serializable values. */
export interface Transition<S> {
  /** The next state; equal to the input state when the step is invalid. */
  state: S;
  /** Text describing what happened, for prompts and the viewer. */
  observation: string;
  reward: number;
  /** No further steps make sense from `state` (goal reached, or a dead end such as no numbers left). */
  done: boolean;
  /** The task's goal holds in `state`. */
  success: boolean;
  check: StepCheck;
}

/** One problem instance, with where it came from. `spec` is JSON-serializable and environment-specific. */
export interface Task<P = unknown> {
  /** Unique within one run, e.g. `instance-1` or `tot-900`. */
  id: string;
  /** Name of the environment that understands `spec`. */
  env: string;
  /** Where the task came from: a file path, a generator spec with its seed, a CSV row. */
  source: string;
  spec: P;
  /** Facts known about the task, e.g. `{ optimalLength: 6 }`. */
  meta?: Record<string, unknown>;
}

/**
 * A task loaded into an environment: the dynamics for one problem instance.
 * Built-in environments are synchronous; async is allowed for environments backed by real systems.
 */
export interface Problem<S, A> {
  readonly initialState: S;
  /** The goal in words, for prompts and the viewer. */
  readonly goalText: string;
  /** `context` is the step's context inside a search: environments backed by a model record their calls against it. */
  step(state: S, action: A, context?: StepContext<S, A>): MaybePromise<Transition<S>>;
  /** Every action allowed in `state`, in a deterministic order. Optional: not every environment can enumerate. */
  legalActions?(state: S): MaybePromise<A[]>;
  /** The state as text, for prompts and the viewer. */
  render(state: S): string;
  /** A canonical key: two states with equal keys are the same state, whatever path reached them. */
  stateKey(state: S): string;
  /** A cheap estimate of how promising `state` is, in [0, 1] where 1 means the goal holds. */
  heuristic?(state: S): number;
  /**
   * True when steps change something outside `state` (files, a server, a page): then `step` is never
   * used for lookahead, each candidate is executed once, in a World from `openWorld` (core/world.ts).
   */
  readonly sideEffects?: boolean;
  /**
   * Async set-up the runner awaits once before it reads `initialState` or `goalText` (a browser loads the task's first
   * page, whose script draws the instruction). `artifactsDir` is a folder beside the store for files a step keeps
   * (screenshots), null when the store keeps none (in memory). A throw fails the task with its message; the run goes on.
   */
  start?(context: { signal: AbortSignal; artifactsDir: string | null }): Promise<void>;
  /** Stateful problems: a fresh world at the initial state. Required when `sideEffects` is true. */
  openWorld?(signal: AbortSignal): Promise<World<S, A>>;
  /** Tools offered to a tool-calling model at this task (tool-using environments; actions are `ToolCallAction`s). */
  tools?(): MaybePromise<ToolSpec[]>;
  /** Frees what the problem holds (servers, temp folders); called once when its task ends, on every exit path. */
  close?(): MaybePromise<void>;
}

/** A family of tasks with typed actions. `A` must be JSON-serializable and valid under `actionSchema`. */
export interface Environment<S = unknown, A = unknown, P = unknown> {
  readonly name: string;
  /** Bumped whenever the dynamics change, so recorded runs can say which rules they ran under. */
  readonly version: string;
  readonly actionSchema: z.ZodType<A>;
  /** The action in the environment's canonical text form, e.g. `(unstack d c)` or `10 - 4`. */
  formatAction(action: A): string;
  /** Parses the canonical text form (and common variants). Throws `ActionParseError` naming what was wrong. */
  parseAction(text: string): A;
  /** Loads one task; throws `TaskError` when the task's spec is malformed. */
  load(task: Task<P>): Problem<S, A>;
}

/** A helper that keeps `define*` call sites typed without classes. */
export function defineEnvironment<S, A, P>(env: Environment<S, A, P>): Environment<S, A, P> {
  return env;
}
