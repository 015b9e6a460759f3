import { ActionParseError } from '../core/errors.ts';
import type { StepContext } from '../core/step.ts';
import { parseBlocksworldActionText } from '../envs/strips/blocksworld-language.ts';

/** What one piece of model text reads as at the current state. */
export type ActionReading<A> =
  | { ok: true; action: A; text: string; key: string }
  | { ok: false; parsed: boolean; reason: string };

/** Reads text into an action allowed at the context's state. */
export type ActionReader<A> = (text: string) => Promise<ActionReading<A>>;

const BLOCKSWORLD_WORDS = /^\s*(?:pick up|put down|unstack|stack)\b/i;

type Parse<A> = (text: string) => A;

/** The environment's parser, and for Blocksworld tasks the PlanBench-words parser for this task's blocks first. */
function parsersFor<S, A>(ctx: StepContext<S, A>): (text: string) => Parse<A>[] {
  const envParse: Parse<A> = (text) => ctx.env.parseAction(text);
  const problem = ctx.problem as { isBlocksworld?: unknown; objects?: { names?: unknown } };
  const names = problem.objects?.names;
  if (problem.isBlocksworld !== true || !Array.isArray(names)) return () => [envParse];
  const wordsParse: Parse<A> = (text) => parseBlocksworldActionText(text, names as string[]) as A;
  // The words parser also takes "pick up red block" (no "the"), which the generic PDDL reader would misread.
  return (text) => (BLOCKSWORLD_WORDS.test(text) ? [wordsParse, envParse] : [envParse, wordsParse]);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A reader for the context's state. A text is an allowed action when it parses, fits the action
 * schema and, where the environment can list its actions (a cheap simulator), `problem.step` accepts it.
 * Stepping rather than looking the action up in `legalActions` accepts every spelling of a legal
 * move (`8 + 4` for the listed `4 + 8 = 12 (left: …)`) and returns the environment's own reason for
 * an illegal one. The key of an allowed action is the state it leads to, so two spellings of one move merge.
 */
export function actionReaderFor<S, A>(ctx: StepContext<S, A>): ActionReader<A> {
  const parsers = parsersFor(ctx);
  return async (text) => {
    let action: A | undefined;
    let firstError: unknown;
    for (const parse of parsers(text)) {
      try {
        action = parse(text);
        break;
      } catch (error) {
        if (!(error instanceof ActionParseError)) return { ok: false, parsed: false, reason: `the parser failed on "${text}": ${message(error)}` };
        firstError ??= error;
      }
    }
    if (action === undefined) return { ok: false, parsed: false, reason: message(firstError) };
    return checkTypedAction(ctx, action, `"${text}"`);
  };
}

/**
 * Checks an action already in typed form (parsed text, or a tool call's arguments): it must fit the
 * action schema and, where the environment can list its actions (a cheap simulator), `problem.step`
 * must accept it. `what` names the action in reasons (the text it was read from, or the call).
 */
export async function checkTypedAction<S, A>(ctx: StepContext<S, A>, action: A, what: string): Promise<ActionReading<A>> {
  const schema = ctx.env.actionSchema.safeParse(action);
  if (!schema.success) {
    const problems = schema.error.issues.map((issue) => `${issue.path.join('.') || 'action'}: ${issue.message}`).join('; ');
    return { ok: false, parsed: true, reason: `${what} is not a valid ${ctx.env.name} action (${problems})` };
  }
  const formatted = ctx.env.formatAction(action);
  // A problem with side effects is never stepped to check a candidate: that would act on the world.
  if (ctx.problem.legalActions === undefined || ctx.problem.sideEffects) return { ok: true, action, text: formatted, key: `action:${formatted}` };
  try {
    const transition = await ctx.problem.step(ctx.state, action);
    if (!transition.check.valid) {
      return { ok: false, parsed: true, reason: `${formatted} is not allowed here: ${transition.check.reason ?? 'the environment rejected it'}` };
    }
    return { ok: true, action, text: formatted, key: `state:${ctx.problem.stateKey(transition.state)}` };
  } catch (error) {
    return { ok: false, parsed: true, reason: `${formatted} could not be tried: ${message(error)}` };
  }
}
