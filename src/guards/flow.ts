import { effectsOf, shellEffects, type Effect } from './effects.ts';
import type { CompiledPolicy } from './policy.ts';

/** One step of a path as the guards see it: the action, its text, and what it returned. */
export interface GuardedStep {
  action: unknown;
  text: string;
  observation: string;
}

/** Where secret data was, after some steps: files that hold it, text that is it, and the working folder. */
export interface FlowState {
  cwd: string;
  /** Resolved path → where its secret content came from. */
  taintedPaths: Map<string, string>;
  /** Lines of secret text the agent has seen (from tool reads), → their origin. */
  taintedText: Map<string, string>;
  /** Files an earlier step wrote with known text (a heredoc, an echo): running one later runs that text. */
  scripts: Map<string, string>;
}

/** Secret data reaching a sink. */
export interface FlowViolation {
  sink: 'network' | 'outside-workspace' | 'transcript' | 'process';
  origin: string;
  detail: string;
}

/** Output of these programs says something about the data, not the data (counts, hashes, types). */
const SUMMARIZERS = new Set(['wc', 'sha256sum', 'sha1sum', 'md5sum', 'file', 'stat', 'test', '[', 'ls', 'du', 'true', 'false', 'echo', 'cd', 'mkdir', 'chmod', 'touch']);
const SECRET_NAMES = /key|secret|token|pass|pwd|cred|auth|session|cookie|private/i;
const MIN_FRAGMENT = 12;

export function emptyFlow(policy: CompiledPolicy): FlowState {
  return { cwd: policy.workspace, taintedPaths: new Map(), taintedText: new Map(), scripts: new Map() };
}

export function copyFlow(state: FlowState): FlowState {
  return { cwd: state.cwd, taintedPaths: new Map(state.taintedPaths), taintedText: new Map(state.taintedText), scripts: new Map(state.scripts) };
}

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'source', '.']);

/**
 * A step's effects, with the effects of any script an earlier step wrote spliced in where the step runs
 * it (`./cleanup.sh`, `bash /usr/local/bin/x`): what a script does is known from what was written.
 */
export function stepEffects(policy: CompiledPolicy, state: FlowState, step: GuardedStep): Effect[] {
  const effects: Effect[] = [];
  let cwd = state.cwd;
  for (const effect of effectsOf(step.action, step.text)) {
    effects.push(effect);
    if (effect.kind !== 'exec') continue;
    if (effect.program === 'cd' && effect.args[0]) cwd = policy.resolve(effect.args[0], cwd);
    const file = effect.invoked.includes('/') ? effect.invoked : SHELLS.has(effect.program) ? effect.args.find((a) => !a.startsWith('-')) : undefined;
    const script = file === undefined ? undefined : state.scripts.get(policy.resolve(file, cwd));
    if (script !== undefined) effects.push(...shellEffects(script).filter((e) => e.kind !== 'exec' || e.program !== 'cd'));
  }
  return effects;
}

/**
 * Follows one step through the flow state: which secrets it reads, where it puts them, and which sinks
 * they reach. Returns the violations; mutates `state` with what the step taints (call it for steps that ran).
 */
export function flowStep(policy: CompiledPolicy, state: FlowState, step: GuardedStep): FlowViolation[] {
  const violations: FlowViolation[] = [];
  const effects = stepEffects(policy, state, step);
  // Secret text the agent saw earlier, written into this step's own arguments (copied by the model, not by a pipe).
  const carried = [...state.taintedText].find(([fragment]) => step.text.includes(fragment));
  let pipeTaint: string | null = null;
  let groupTaint: string | null = null;
  let groupWrites = false;
  let groupSummarizes = false;
  let toolRead: string | null = null;
  const endGroup = (pipedNext: boolean) => {
    if (!pipedNext) {
      if (groupTaint && !groupWrites && !groupSummarizes && policy.source.transcriptIsSink) {
        violations.push({ sink: 'transcript', origin: groupTaint, detail: `shows ${describeOrigin(groupTaint)} in the agent's transcript (sent to the model and the user)` });
      }
      pipeTaint = null;
    } else pipeTaint = groupSummarizes ? null : groupTaint;
    groupTaint = null;
    groupWrites = false;
    groupSummarizes = false;
  };
  let started = false;
  for (const effect of effects) {
    if (effect.kind === 'exec') {
      if (started) endGroup(effect.piped);
      started = true;
      groupTaint = effect.piped ? pipeTaint : null;
      groupSummarizes = SUMMARIZERS.has(effect.program) || /^-\w*[clqL]\w*$/.test(effect.args[0] ?? '') && /grep$/.test(effect.program);
      if (effect.program === 'cd' && effect.args[0]) state.cwd = policy.resolve(effect.args[0], state.cwd);
      if (carried && /^(curl|wget|nc|ncat|netcat|ssh|scp|socat|python3?|node|perl|ruby|bash|sh)$/.test(effect.program)) {
        violations.push({ sink: 'process', origin: carried[1], detail: `passes text from ${describeOrigin(carried[1])} to ${effect.program}` });
      }
      continue;
    }
    const origin = sourceOf(policy, state, effect);
    if (origin) {
      groupTaint = origin;
      if (effect.kind === 'read' && step.action !== null && typeof step.action === 'object') toolRead = origin;
    }
    if (effect.kind === 'write') {
      groupWrites = true;
      const target = policy.resolve(effect.path, state.cwd);
      if (effect.text !== undefined) state.scripts.set(target, effect.append && state.scripts.has(target) ? `${state.scripts.get(target)}\n${effect.text}` : effect.text);
      const from = effect.source ? state.taintedPaths.get(policy.resolve(effect.source, state.cwd)) ?? (policy.isSensitive(policy.resolve(effect.source, state.cwd)) ? policy.resolve(effect.source, state.cwd) : undefined) : undefined;
      const taint = from ?? (effect.carries === 'pipe' ? groupTaint : null) ?? (effect.carries === 'text' && carried ? carried[1] : null);
      if (taint) {
        state.taintedPaths.set(target, taint);
        if (!policy.isFree(target)) violations.push({ sink: 'outside-workspace', origin: taint, detail: `writes ${describeOrigin(taint)} to ${target}, outside the workspace` });
      }
    } else if (effect.kind === 'net') {
      const sent = effect.uploads.map((file) => policy.resolve(file, state.cwd)).map((file) => state.taintedPaths.get(file) ?? (policy.isSensitive(file) ? file : null)).find(Boolean);
      const taint = sent ?? (effect.sendsInput ? groupTaint : null) ?? (carried ? carried[1] : null);
      if (taint) violations.push({ sink: 'network', origin: taint, detail: `sends ${describeOrigin(taint)} to ${effect.host ?? 'the network'}` });
      groupWrites = true;
    }
  }
  if (started) endGroup(false);
  // A tool read shows the file to the model: its text is tainted from now on, wherever the model copies it.
  if (toolRead) {
    for (const line of step.observation.split(/\r?\n/)) {
      const fragment = line.trim();
      if (fragment.length >= MIN_FRAGMENT) state.taintedText.set(fragment, toolRead);
    }
  }
  return violations;
}

function sourceOf(policy: CompiledPolicy, state: FlowState, effect: Effect): string | null {
  if (effect.kind === 'read') {
    const path = policy.resolve(effect.path, state.cwd);
    return state.taintedPaths.get(path) ?? (policy.isSensitive(path) ? path : null);
  }
  if (effect.kind === 'env') return effect.filter === null || SECRET_NAMES.test(effect.filter) ? 'environment variables' : null;
  if (effect.kind === 'secret-store') return `the credential store (${effect.command})`;
  return null;
}

function describeOrigin(origin: string): string {
  return `secret data from ${origin}`;
}

/** The flow state after a whole path of steps that ran. */
export function flowAfter(policy: CompiledPolicy, steps: readonly GuardedStep[]): FlowState {
  const state = emptyFlow(policy);
  for (const step of steps) flowStep(policy, state, step);
  return state;
}
