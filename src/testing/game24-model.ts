import { formatGame24Action } from '../envs/game24/action.ts';
import { sortedNumberTexts } from '../envs/game24/multiset.ts';
import { parseRational } from '../envs/game24/rational.ts';
import { isSolvable } from '../envs/game24/solver.ts';
import { game24LegalActions } from '../envs/game24/step.ts';
import type { FakeChatRequest, FakeReply } from './fake-openai-server.ts';

export interface Game24ModelOptions {
  /** Next steps listed per propose request (default 8). */
  listed?: number;
  /** Every n-th propose reply is an illegal step instead (0: never), so invalid candidates get recorded. */
  illegalEvery?: number;
  /** List steps that keep 24 reachable first (default true); false lists them in the order they are enumerated. */
  winningFirst?: boolean;
}

/**
 * A scripted "model" for the fake OpenAI server that answers stepwise's built-in Game of 24 prompts
 * the way a decent model would: propose prompts get legal next steps in ToT form (winning moves
 * first, so the search has work to do but can succeed), value prompts get sure/impossible from the
 * exact solver. For end-to-end tests, demos and benchmarks without a model.
 */
export function game24ModelScript(options: Game24ModelOptions = {}): (body: FakeChatRequest, index: number) => FakeReply {
  const listed = options.listed ?? 8;
  let proposals = 0;
  return (body, index) => {
    const messages = body.messages ?? [];
    const last = String(messages[messages.length - 1]?.content ?? '');
    const input = /^Input:\s*(.+)$/m.exec(last);
    if (!input) {
      const numbers = last.trim().split(/\s+/);
      return isSolvable(numbers) ? 'These numbers can reach 24.\nsure' : 'nothing comes close to 24\nimpossible';
    }
    proposals++;
    if (options.illegalEvery && proposals % options.illegalEvery === 0) return '10 * 1 = 24 (left: 24)';
    const numbers = sortedNumberTexts(input[1].trim().split(/\s+/).map(parseRational));
    const steps = game24LegalActions({ numbers })
      .map((action) => ({ action, solvable: isSolvable(action.claimed?.left ?? []) }))
      .sort((a, b) => (options.winningFirst === false ? 0 : Number(b.solvable) - Number(a.solvable)))
      .slice(0, listed)
      .map(({ action }) => formatGame24Action(action));
    return /Next step:\s*$/.test(last) ? steps[body.temperature && index % 2 ? 1 : 0] ?? steps[0] : steps.join('\n');
  };
}
