import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.ts';
import type { Candidate, Guard, GuardDecision, StepContext } from '../core/step.ts';
import type { ModelClient } from '../models/types.ts';
import { loadTemplate } from '../prompts/load.ts';
import { parseTemplate, renderTemplate, type Template } from '../prompts/template.ts';
import { askModel } from '../propose/ask-model.ts';

const BUILTIN_JUDGE = fileURLToPath(new URL('./builtin/judge.prompt', import.meta.url));
/** Observations are cut to this many characters in the judge's view of the path. */
const OBSERVATION_CHARS = 400;

export interface JudgedGuardOptions {
  client: ModelClient;
  /** A template file with `{{goal}}`, `{{history}}` and `{{action}}`; the built-in one by default. */
  template?: string;
  /** What a reply that says neither ALLOW, DENY nor ASK (or a failed call) decides; default deny: an unclear judge does not let an action through. */
  onUnclear?: 'allow' | 'deny';
}

/** The judge's verdict on its last line: ALLOW, DENY: reason, ASK: question; null when it says none. */
export function parseGuardVerdict(reply: string): GuardDecision | null {
  const lines = reply.trim().split(/\r?\n/).map((line) => line.trim().replace(/^[*_`>#\s-]+|[*_`\s]+$/g, '')).filter(Boolean);
  for (const line of lines.reverse()) {
    const match = /^(ALLOW|DENY|ASK)\b[:\s-]*(.*)$/i.exec(line);
    if (!match) continue;
    const verdict = match[1].toUpperCase();
    const rest = match[2].trim();
    if (verdict === 'ALLOW') return { decision: 'allow' };
    if (verdict === 'DENY') return { decision: 'deny', reason: rest || 'the judge denied it without a reason' };
    return { decision: 'ask', reason: rest || 'the judge wants a person to decide' };
  }
  return null;
}

function judgeTemplate(path: string | undefined): Template {
  const template = path === undefined ? parseTemplate(readFileSync(BUILTIN_JUDGE, 'utf8'), 'guard/judge') : loadTemplate(path);
  if (!template.placeholders.has('action')) {
    throw new UsageError(`the guard judge template ${template.name} never shows the action it judges`, { hint: 'put {{action}} in it (and {{history}}, {{goal}})' });
  }
  return template;
}

/** The path in the judge's words: each step, and what it returned. */
function pathText(ctx: StepContext): string {
  return ctx.trajectory
    .map((step, i) => {
      const seen = step.observation.length > OBSERVATION_CHARS ? `${step.observation.slice(0, OBSERVATION_CHARS)}…` : step.observation;
      return `${i + 1}. ${step.actionText}${seen ? `\n   → ${seen.replace(/\n/g, '\n     ')}` : ''}`;
    })
    .join('\n');
}

/**
 * A guard a model plays: it reads the whole path so far and the next action, and answers ALLOW,
 * DENY: reason or ASK: question. The call is recorded like any model call of the run.
 */
export function judgedGuard(options: JudgedGuardOptions): Guard & { readonly config: Record<string, unknown> } {
  const template = judgeTemplate(options.template);
  const onUnclear = options.onUnclear ?? 'deny';
  return {
    name: `judge:${options.client.spec}`,
    config: { model: options.client.spec, template: template.name, templateHash: template.hash, onUnclear },
    async check(ctx: StepContext, candidate: Candidate): Promise<GuardDecision> {
      const values: Record<string, string> = { goal: ctx.problem.goalText, history: pathText(ctx), action: candidate.text };
      const messages = renderTemplate(template, Object.fromEntries([...template.placeholders].map((name) => [name, values[name] ?? ''])));
      const answer = await askModel(options.client, { messages, temperature: 0 }, ctx);
      const verdict = answer.ok ? parseGuardVerdict(answer.reply.text) : null;
      if (verdict) return verdict;
      if (onUnclear === 'allow') return { decision: 'allow' };
      const why = answer.ok ? `its reply ended in neither ALLOW, DENY nor ASK: "${answer.reply.text.trim().slice(-120)}"` : answer.reason;
      return { decision: 'deny', reason: `the judge gave no verdict (${why})` };
    },
  };
}
