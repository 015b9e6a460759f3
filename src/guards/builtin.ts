import type { Candidate, Guard, GuardDecision, StepContext } from '../core/step.ts';
import type { Effect } from './effects.ts';
import { copyFlow, emptyFlow, flowStep, stepEffects, type FlowState, type GuardedStep } from './flow.ts';
import { compilePolicy, DEFAULT_POLICY, type CompiledPolicy } from './policy.ts';

/** The path so far as guards read it, from a search's step context. */
export function guardedPath(ctx: Pick<StepContext, 'trajectory'>): GuardedStep[] {
  return ctx.trajectory.map((step) => ({ action: step.action, text: step.actionText, observation: step.observation }));
}

/**
 * Walks a path once per node and caches the flow state by node id, so a guard on a deep path does not
 * re-read every step for every candidate.
 */
function flowCache(policy: CompiledPolicy) {
  const byNode = new Map<string, FlowState>();
  return (nodeId: string | null, path: readonly GuardedStep[]): FlowState => {
    const cached = nodeId === null ? undefined : byNode.get(nodeId);
    if (cached) return cached;
    const state = emptyFlow(policy);
    for (const step of path) flowStep(policy, state, step);
    if (nodeId !== null) byNode.set(nodeId, state);
    return state;
  };
}

const SYSTEM_WORDS: Record<string, string> = {
  schedule: 'schedules a job (persistence)',
  service: 'changes which services start (persistence)',
  account: 'changes user accounts or privileges',
  firewall: 'opens the firewall or disables a security control',
  disk: 'formats, wipes or detaches a disk',
  processes: 'kills processes it did not start',
  containers: 'deletes containers, images or volumes',
  kernel: 'changes kernel modules or settings',
  packages: 'installs packages',
};

/** The policy's verdict on one action's effects, from the working folder `cwd`: null when allowed. */
export function policyViolation(policy: CompiledPolicy, cwd: string, effects: readonly Effect[]): string | null {
  for (const effect of effects) {
    switch (effect.kind) {
      case 'exec': {
        if (!effect.program) break;
        if (!policy.allowedProgram(effect.program)) return `runs ${effect.program}, which the policy does not allow (allowed: ${policy.source.commands.allow.join(', ')})`;
        const rule = policy.deniedCommand(effect.line);
        if (rule) return `runs \`${clip(effect.line)}\`, denied by the policy rule "${rule}"`;
        if (effect.program === 'cd' && effect.args[0]) cwd = policy.resolve(effect.args[0], cwd);
        break;
      }
      case 'write':
      case 'delete': {
        const path = policy.resolve(effect.path, cwd);
        const verb = effect.kind === 'write' ? 'writes' : 'deletes';
        if (policy.isProtected(path)) return `${verb} ${path}, which the policy protects`;
        if (!policy.isFree(path) && policy.source.outside[effect.kind] === 'deny') return `${verb} ${path}, outside the workspace`;
        break;
      }
      case 'system':
        if (policy.source.system.deny.includes(effect.change)) return `${SYSTEM_WORDS[effect.change]}: \`${clip(effect.command)}\``;
        break;
      case 'net':
        if (effect.listen && policy.source.hosts.listen === 'deny') return 'opens a listening socket';
        if (effect.host && !policy.hostAllowed(effect.host)) return `connects to ${effect.host}, which the policy does not allow`;
        break;
    }
  }
  return null;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/**
 * Denies actions the policy forbids: writes to protected or outside paths, denied commands and system
 * changes, hosts not allowed. Shell lines and tool calls alike (`effectsOf`).
 */
export function policyGuard(policy: CompiledPolicy = compilePolicy(DEFAULT_POLICY)): Guard {
  const flows = flowCache(policy);
  return {
    name: 'policy',
    check(ctx: StepContext, candidate: Candidate): GuardDecision {
      const state = flows(ctx.nodeId, guardedPath(ctx));
      const reason = policyViolation(policy, state.cwd, stepEffects(policy, state, { action: candidate.action, text: candidate.text, observation: '' }));
      return reason ? { decision: 'deny', reason } : { decision: 'allow' };
    },
  };
}

/**
 * Stops secret data at a sink, however many steps lie between where it was read and where it goes:
 * read a key, encode it, stage it in /tmp, send it (the salami-slicing pattern is one flow, not four steps).
 */
export function flowGuard(policy: CompiledPolicy = compilePolicy(DEFAULT_POLICY)): Guard {
  const flows = flowCache(policy);
  return {
    name: 'information-flow',
    check(ctx: StepContext, candidate: Candidate): GuardDecision {
      const state = copyFlow(flows(ctx.nodeId, guardedPath(ctx)));
      const [violation] = flowStep(policy, state, { action: candidate.action, text: candidate.text, observation: '' });
      return violation ? { decision: 'deny', reason: violation.detail } : { decision: 'allow' };
    },
  };
}
