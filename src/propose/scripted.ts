import { ActionParseError } from '../core/errors.ts';
import { defineProposer, type Candidate, type ProposeContext, type Proposer } from '../core/step.ts';

/** What a script answers at one node: action texts, as a model would write them. */
export type Script = readonly string[] | ((ctx: ProposeContext<any, any>) => readonly string[]);

/**
 * Proposes fixed action texts, parsed by the environment like a model's reply would be: a text
 * that does not parse becomes an invalid candidate carrying the parse error. For tests and demos.
 * A list applies at every node; a `Record<depth, texts>` or a function chooses per node.
 */
export function scriptedProposer<S, A>(script: Script | Record<number, readonly string[]>, name = 'scripted'): Proposer<S, A> {
  const textsFor = (ctx: ProposeContext<S, A>): readonly string[] => {
    if (typeof script === 'function') return script(ctx);
    if (Array.isArray(script)) return script;
    return (script as Record<number, readonly string[]>)[ctx.depth] ?? [];
  };
  return defineProposer<S, A>({
    name,
    local: true,
    propose(ctx) {
      return textsFor(ctx)
        .slice(0, ctx.k)
        .map((text): Candidate<A> => {
          try {
            const action = ctx.env.parseAction(text);
            return { action, text: ctx.env.formatAction(action), proposer: name };
          } catch (error) {
            if (!(error instanceof ActionParseError)) throw error;
            return { action: null, text, proposer: name, invalidReason: error.message };
          }
        });
    },
  });
}
