import type { MaybePromise, Transition } from './environment.ts';
import type { StepContext } from './step.ts';

/**
 * The live side of a stateful environment (a workspace folder, an MCP server, a browser context).
 * A pure environment (STRIPS, Game of 24) has none: its JSON state is its own snapshot.
 *
 * A world sits at one node of the tree at a time. The engine (src/worlds) gives a branch a world
 * positioned at its node by, in order of preference: a live world already there; `restore` of a
 * snapshot taken at the node; or a fresh world (`Problem.openWorld`, for problems with `sideEffects`) on which the recorded action
 * prefix root→node is re-executed, each observation compared with the record (a mismatch is a
 * divergence, reported, never silently accepted). Worlds live in a bounded pool and are all
 * closed on every exit path (done, Ctrl-C, a budget stop, a crash of the world).
 */
export interface World<S = unknown, A = unknown> {
  /** The state recorded for the world's current position: a JSON value that names it (e.g. a content hash and the last observation). */
  readonly state: S;
  /** Executes one action against the live world and moves it to the child position. Never called twice for one tree node. */
  step(action: A, context?: StepContext<S, A>): Promise<Transition<S>>;
  /** A handle from which `restore` rebuilds this position (a folder copy, a saved page). Optional: without it, branches re-execute. */
  snapshot?(): Promise<WorldSnapshot>;
  /** Moves this world to a snapshot taken from a world of the same problem. */
  restore?(snapshot: WorldSnapshot): Promise<void>;
  /** Frees what the world holds (processes, folders, pages). Safe to call twice. */
  close(): Promise<void>;
}

/** An opaque handle the world that made it understands; `dispose` frees it (a snapshot folder). */
export interface WorldSnapshot {
  readonly id: string;
  dispose(): MaybePromise<void>;
}

/** A tool the model is offered: what function calling sends (name, description, JSON Schema of the arguments). */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12 or 7) of the arguments object. */
  parameters: Record<string, unknown>;
  /** Executing it asks a person first (an approval); guards see this flag. */
  needsApproval?: boolean;
}

/** The action shape of every tool-using environment (workspace, MCP, the browser's tool half): a named tool with JSON arguments. */
export interface ToolCallAction {
  tool: string;
  args: Record<string, unknown>;
}

/**
 * How long a tool call took, kept by a tool-using world in the JSON state it reaches (`state.toolCall`), so the
 * record needs no field of its own. Durations vary between runs: they are never part of the state key.
 */
export interface ToolCallTiming {
  tool: string;
  durationMs: number;
}

/** A tool-call action (`{ tool, args }`), or null for other environments' actions. */
export function asToolCall(action: unknown): ToolCallAction | null {
  if (action === null || typeof action !== 'object') return null;
  const { tool, args } = action as Partial<ToolCallAction>;
  return typeof tool === 'string' && args !== null && typeof args === 'object' ? (action as ToolCallAction) : null;
}

/** The timing a state carries (`state.toolCall`), or null. */
export function toolCallTimingOf(state: unknown): ToolCallTiming | null {
  const timing = (state as { toolCall?: Partial<ToolCallTiming> } | null)?.toolCall;
  return timing && typeof timing.tool === 'string' && typeof timing.durationMs === 'number' ? (timing as ToolCallTiming) : null;
}
