import type { Proposer } from '../core/step.ts';

/**
 * Wraps a proposer so the event loop gets a turn at least every `everyMs`. Offline searches run on
 * promise callbacks alone, and without a turn of the loop Ctrl-C (a libuv signal) never arrives.
 */
export function interruptibleProposer<S, A>(inner: Proposer<S, A>, everyMs = 50): Proposer<S, A> {
  let lastTurn = performance.now();
  return {
    name: inner.name,
    ...(inner.config === undefined ? {} : { config: inner.config }),
    async propose(ctx) {
      if (performance.now() - lastTurn >= everyMs) {
        await new Promise((resolve) => setImmediate(resolve));
        lastTurn = performance.now();
      }
      return inner.propose(ctx);
    },
  };
}
