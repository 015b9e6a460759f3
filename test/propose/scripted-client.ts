import type { StepContext } from '../../src/core/step.ts';
import type { ModelClient, ModelReply, ModelRequest } from '../../src/models/types.ts';

export { ModelError } from '../../src/models/errors.ts';

/** A canned answer: text, or an Error to throw as the client would after its retries. */
export type ScriptedAnswer = string | Error;

export interface ScriptedClient extends ModelClient {
  readonly requests: ModelRequest[];
}

/** A ModelClient whose replies are a function of the request (and the step context). Records every request. */
export function scriptedClient(answer: (request: ModelRequest, ctx: StepContext<any, any>) => ScriptedAnswer, spec = 'scripted:test'): ScriptedClient {
  const requests: ModelRequest[] = [];
  let calls = 0;
  return {
    spec,
    requests,
    async generate(request, ctx): Promise<ModelReply> {
      requests.push(request);
      const text = answer(request, ctx);
      if (text instanceof Error) throw text;
      return { text, usage: { inputTokens: 10, outputTokens: 5 }, cacheHit: false, latencyMs: 0, callId: `call-${calls++}` };
    },
  };
}

/** The last user message of a request: where the current problem sits in every built-in template. */
export function lastUserMessage(request: ModelRequest): string {
  return request.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}
