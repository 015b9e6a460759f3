import type { Task } from '../core/environment.ts';
import { newRunId } from '../core/ids.ts';
import { createRng } from '../core/rng.ts';
import type { StepContext } from '../core/step.ts';
import type { ModelClient } from '../models/types.ts';
import type { SemanticJudge } from './match.ts';

const SYSTEM = `You grade whether a step taken by an agent achieves what a reference describes.
Reply with one number from 0 to 1 inside triple backticks, for example \`\`\`0.5\`\`\`:
1 when the step clearly achieves the reference, 0 when it does not, a fraction when it partly does.`;

/** The judge's reply as a score: the number in triple backticks (WebCanvas's format), else the first number; 0 when none. */
export function readJudgeScore(reply: string): number {
  const fenced = /```\s*(?:[A-Za-z]\w*\n)?\s*([^`]*?)\s*```/s.exec(reply)?.[1];
  const text = fenced ?? reply;
  const number = /-?\d+(?:\.\d+)?(?:\/\d+)?/.exec(text)?.[0];
  if (number === undefined) return 0;
  const [top, bottom] = number.split('/');
  const value = bottom === undefined ? Number(top) : Number(top) / Number(bottom);
  return Number.isFinite(value) ? value : 0;
}

/**
 * A semantic match scored by a model through the model client (cached and recorded like every
 * call). Calls are recorded under their own id (`judge` + a fresh run id), so they are not counted
 * in the cost of the runs being judged.
 */
export function modelSemanticJudge(client: ModelClient, options: { signal?: AbortSignal } = {}): SemanticJudge {
  const judgeRunId = `judge-${newRunId()}`;
  const task: Task = { id: 'semantic-match', env: 'eval', source: 'stepwise eval', spec: null };
  let calls = 0;
  return async (input, reference) => {
    const ctx: StepContext<any, any> = {
      runId: judgeRunId,
      env: null as never,
      problem: null as never,
      task,
      nodeId: `${judgeRunId}.${calls++}`,
      depth: 0,
      state: null,
      trajectory: [],
      rng: createRng(0),
      signal: options.signal ?? new AbortController().signal,
      charge: () => {},
    };
    const reply = await client.generate(
      {
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: `Reference: ${reference}\nStep: ${input}\nScore:` },
        ],
        temperature: 0,
      },
      ctx,
    );
    return readJudgeScore(reply.text);
  };
}
