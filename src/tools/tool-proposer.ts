import { UsageError } from '../core/errors.ts';
import type { Problem } from '../core/environment.ts';
import type { Candidate, ProposalBatch, ProposeContext, Proposer } from '../core/step.ts';
import type { ToolSpec } from '../core/world.ts';
import type { ModelClient, ModelRequest, ModelToolCall } from '../models/types.ts';
import { askModel } from '../propose/ask-model.ts';
import { DEFAULT_LLM_K } from '../propose/llm.ts';
import { mergeAllowedActions } from '../propose/merge-candidates.ts';
import { checkTypedAction } from '../propose/read-action.ts';
import type { AllowedAction } from '../propose/reply-actions.ts';
import { actionToolsFor, type ActionTools } from './action-tools.ts';
import { agentMessages, type AgentMemoryOptions } from './agent-memory.ts';
import { argumentCheckFor } from './tool-arguments.ts';

export interface ToolProposerOptions {
  client: ModelClient;
  /** Requests per step (samples 0..k-1); by default the strategy's k, or 3 when it asks for all there are. */
  k?: number;
  /** Sampling temperature (default 0.7). */
  temperature?: number;
  /** `tools`: native tool calling (default). `json`: structured output, for providers without tool calling: the reply is `{ "tool", "args" }`. */
  output?: 'tools' | 'json';
  /** `required` (default): every reply must call a tool; `auto`: the model may answer in text (recorded as an invalid candidate). */
  toolChoice?: 'required' | 'auto';
  /** The conversation window and system message (agent-memory.ts). */
  memory?: AgentMemoryOptions;
  maxOutputTokens?: number;
}

const toolsByProblem = new WeakMap<Problem<any, any>, Promise<ActionTools<any>>>();

/** The tools of a loaded task, listed once per problem (an MCP server's tools are listed once, not per step). */
function toolsOf<S, A>(ctx: ProposeContext<S, A>): Promise<ActionTools<A>> {
  let tools = toolsByProblem.get(ctx.problem);
  if (!tools) {
    tools = actionToolsFor(ctx.env, ctx.problem);
    toolsByProblem.set(ctx.problem, tools);
    tools.catch(() => toolsByProblem.delete(ctx.problem));
  }
  return tools as Promise<ActionTools<A>>;
}

/** The JSON Schema of a `{ tool, args }` reply: one branch per tool, for structured output. */
function callSchema(specs: readonly ToolSpec[]): Record<string, unknown> {
  return {
    type: 'object',
    oneOf: specs.map((spec) => ({
      type: 'object',
      properties: { tool: { const: spec.name }, args: spec.parameters },
      required: ['tool', 'args'],
    })),
  };
}

function describeTools(specs: readonly ToolSpec[]): string {
  return specs.map((spec) => `- ${spec.name}: ${spec.description}\n  arguments (JSON Schema): ${JSON.stringify(spec.parameters)}`).join('\n');
}

/**
 * A proposer that offers the environment's actions to the model as tools (native function calling,
 * or JSON structured output) and turns the calls in its replies into candidates: k samples, and
 * several calls in one reply, each become a candidate; the same call merges into one whose prior
 * is its share of the calls. A reply without a call, arguments that are not JSON or do not fit the
 * tool's input schema (ajv), an unknown tool and an action the environment refuses each become an
 * invalid candidate with the raw call and the reason. The conversation is the node's path
 * (agent-memory.ts); each request, tools included, is recorded and cached by its hash.
 */
export function toolProposer<S, A>(options: ToolProposerOptions): Proposer<S, A> & { readonly config: Record<string, unknown> } {
  const { client, temperature = 0.7, output = 'tools', toolChoice = 'required', maxOutputTokens, memory = {} } = options;
  if (options.k !== undefined && !(Number.isInteger(options.k) && options.k >= 1)) throw new UsageError(`the tool proposer's k must be a whole number ≥ 1, got ${options.k}`);
  if (output !== 'tools' && output !== 'json') throw new UsageError(`unknown tool proposer output "${String(output)}"; expected tools or json`);
  const name = `llm:${client.spec}`;
  const invalid = (text: string, reason: string): Candidate<A> => ({ action: null, text, proposer: name, invalidReason: reason });

  const request = (messages: ModelRequest['messages'], specs: readonly ToolSpec[], sample: number): ModelRequest => {
    const common = { temperature, sample, ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }) };
    if (output === 'tools') return { messages, tools: [...specs], toolChoice, ...common };
    const instruction = `Reply with one JSON object {"tool": <name>, "args": {…}} naming the tool to call next. The tools:\n${describeTools(specs)}`;
    const [system, ...rest] = messages;
    return { messages: [{ role: 'system', content: `${system.content}\n\n${instruction}` }, ...rest], responseFormat: { type: 'json', schema: callSchema(specs), name: 'tool_call' }, ...common };
  };

  /** One call read into an allowed action, or the invalid candidate saying why not. */
  const readCall = async (ctx: ProposeContext<S, A>, tools: ActionTools<A>, call: { name: string; args: unknown; raw: string }): Promise<AllowedAction<A> | Candidate<A>> => {
    const shown = `${call.name}(${call.raw})`;
    if (!tools.specs.some((spec) => spec.name === call.name)) {
      return invalid(shown, `unknown tool "${call.name}"; the tools offered are ${tools.specs.map((spec) => spec.name).join(', ')}`);
    }
    if (call.args === null || typeof call.args !== 'object' || Array.isArray(call.args)) return invalid(shown, `the arguments of ${call.name} are not a JSON object`);
    const mismatch = argumentCheckFor(tools.specs)(call.name, call.args);
    if (mismatch !== null) return invalid(shown, `the arguments of ${call.name} do not fit its input schema: ${mismatch}`);
    const action = tools.actionOf(call.name, call.args as Record<string, unknown>);
    if (action === null) return invalid(shown, `unknown tool "${call.name}"`);
    const reading = await checkTypedAction(ctx, action, `the call ${shown}`);
    return reading.ok ? reading : invalid(shown, reading.reason);
  };

  const readToolCall = (ctx: ProposeContext<S, A>, tools: ActionTools<A>, call: ModelToolCall): Promise<AllowedAction<A> | Candidate<A>> | Candidate<A> => {
    let args: unknown;
    try {
      args = JSON.parse(call.arguments === '' ? '{}' : call.arguments);
    } catch (error) {
      return invalid(`${call.name}(${call.arguments})`, `the arguments of ${call.name} are not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    return readCall(ctx, tools, { name: call.name, args, raw: call.arguments });
  };

  const readJsonReply = (ctx: ProposeContext<S, A>, tools: ActionTools<A>, text: string): Promise<AllowedAction<A> | Candidate<A>> | Candidate<A> => {
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch (error) {
      return invalid(text, `the reply is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { tool, args } = (reply ?? {}) as { tool?: unknown; args?: unknown };
    if (typeof tool !== 'string') return invalid(text, 'the reply names no tool (expected {"tool": <name>, "args": {…}})');
    return readCall(ctx, tools, { name: tool, args: args ?? {}, raw: JSON.stringify(args ?? {}) });
  };

  return {
    name,
    config: {
      model: client.spec,
      mode: 'tools',
      output,
      toolChoice,
      k: options.k ?? null,
      temperature,
      template: 'auto',
      window: memory.window ?? null,
      ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    },
    async propose(ctx: ProposeContext<S, A>): Promise<ProposalBatch<A>> {
      const k = Math.max(1, Math.min(ctx.k, options.k ?? (Number.isFinite(ctx.k) ? ctx.k : DEFAULT_LLM_K)));
      let tools: ActionTools<A>;
      try {
        tools = await toolsOf(ctx);
      } catch (error) {
        return { candidates: [invalid('', `the tools could not be listed: ${error instanceof Error ? error.message : String(error)}`)] };
      }
      const messages = agentMessages(ctx, tools, memory);
      const answers = await Promise.all(Array.from({ length: k }, (_, sample) => askModel(client, request(messages, tools.specs, sample), ctx)));
      const found: (AllowedAction<A> | Candidate<A>)[] = [];
      let calls = 0;
      for (const answer of answers) {
        if (!answer.ok) {
          found.push(invalid('', answer.reason));
          continue;
        }
        const { text, toolCalls = [] } = answer.reply;
        if (output === 'json') {
          calls++;
          found.push(await readJsonReply(ctx, tools, text));
        } else if (toolCalls.length === 0) {
          found.push(invalid(text, text.trim() === '' ? 'the reply called no tool and is empty' : 'the reply called no tool (a text-only reply)'));
        } else {
          calls += toolCalls.length;
          for (const call of toolCalls) found.push(await readToolCall(ctx, tools, call));
        }
      }
      // Several calls in one reply are several candidates: the strategy's k bounds them, not the number of requests.
      return { candidates: mergeAllowedActions(found, Math.max(1, calls), Number.isFinite(ctx.k) ? Math.max(1, ctx.k) : Infinity, name) };
    },
  };
}
