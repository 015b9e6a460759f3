import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_AGENT_ID, ATTR_GEN_AI_AGENT_NAME, ATTR_GEN_AI_CONVERSATION_ID, ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, ATTR_GEN_AI_TOOL_CALL_ID, ATTR_GEN_AI_TOOL_NAME, ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, GEN_AI_OPERATION_NAME_VALUE_CHAT, GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
} from '@opentelemetry/semantic-conventions/incubating';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { ModelCallRecord, NodeRecord, RunRecord } from '../store/records.ts';
import type { StoredTree } from '../store/store.ts';

/** The agent name on every `invoke_agent` span; the strategy and environment are attributes. */
export const AGENT_NAME = 'stepwise';

/** What a task's spans need to know of its run. */
export type SpannedRun = Pick<RunRecord, 'id' | 'env' | 'strategy' | 'proposer'>;

/**
 * Emits one task's tree as OpenTelemetry spans following the GenAI semantic conventions: an `invoke_agent` span
 * for the task; under it a span per step (node) nested as the tree is, named `execute_tool {tool}` when the
 * step's action is a tool call and `step` otherwise; and a `chat {model}` span per model call under the node
 * whose expansion (or step) made it. Times are the recorded ones, so a tree exported afterwards reads like live.
 */
export function emitTaskSpans(tracer: Tracer, run: SpannedRun, tree: StoredTree): number {
  const { task, result } = tree;
  const childrenOf = new Map<string | null, NodeRecord[]>();
  for (const node of tree.nodes) childrenOf.set(node.parentId, [...(childrenOf.get(node.parentId) ?? []), node]);
  const callsOf = new Map<string | null, ModelCallRecord[]>();
  for (const call of tree.modelCalls) callsOf.set(call.nodeId, [...(callsOf.get(call.nodeId) ?? []), call]);
  const root = tree.nodes.find((n) => n.parentId === null || !tree.nodes.some((p) => p.id === n.parentId));

  // A span ends when the last thing under it happened: a descendant step, or a model call.
  const endOf = new Map<string, number>();
  const subtreeEnd = (node: NodeRecord): number => {
    let end = node.createdAt;
    for (const call of callsOf.get(node.id) ?? []) end = Math.max(end, call.createdAt);
    for (const child of childrenOf.get(node.id) ?? []) end = Math.max(end, subtreeEnd(child));
    endOf.set(node.id, end);
    return end;
  };
  const taskStart = Date.parse(task.startedAt);
  const taskEnd = Math.max(result ? Date.parse(result.finishedAt) : taskStart, root ? subtreeEnd(root) : taskStart);
  const model = run.proposer.config?.model;
  let spans = 0;

  const agent = tracer.startSpan(`${GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT} ${AGENT_NAME}`, {
    kind: SpanKind.INTERNAL,
    startTime: new Date(taskStart),
    attributes: {
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
      [ATTR_GEN_AI_AGENT_NAME]: AGENT_NAME,
      [ATTR_GEN_AI_AGENT_ID]: run.id,
      [ATTR_GEN_AI_CONVERSATION_ID]: `${run.id}/${task.taskId}`,
      ...(typeof model === 'string' ? modelAttributes(model) : {}),
      'stepwise.run.id': run.id,
      'stepwise.env': run.env.name,
      'stepwise.strategy': run.strategy.name,
      'stepwise.task.id': task.taskId,
      'stepwise.task.goal': task.goalText,
      ...(result ? { 'stepwise.task.outcome': result.outcome, 'stepwise.task.expansions': result.expansions, 'stepwise.task.nodes': result.nodes } : {}),
      ...(result?.stopReason ? { 'stepwise.task.stop_reason': result.stopReason } : {}),
    },
  });
  if (result && result.outcome === 'failed') agent.setStatus({ code: SpanStatusCode.ERROR, message: result.stopReason ?? 'failed' });
  spans++;

  const emitCalls = (parent: Span, nodeId: string) => {
    for (const call of callsOf.get(nodeId) ?? []) {
      const span = tracer.startSpan(`${GEN_AI_OPERATION_NAME_VALUE_CHAT} ${modelName(call.model)}`, {
        kind: SpanKind.CLIENT,
        startTime: new Date(call.createdAt - call.latencyMs),
        attributes: {
          [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_CHAT,
          ...modelAttributes(call.model),
          ...(call.usage ? { [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: call.usage.inputTokens, [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: call.usage.outputTokens } : {}),
          'stepwise.model_call.id': call.id,
          'stepwise.model_call.cache_hit': call.cacheHit,
          'stepwise.model_call.attempts': call.attempts,
          ...(call.cachedFrom ? { 'stepwise.model_call.cached_from': call.cachedFrom } : {}),
        },
      }, trace.setSpan(ROOT_CONTEXT, parent));
      if (call.error !== null) {
        span.setAttribute(ATTR_ERROR_TYPE, 'model_error');
        span.setStatus({ code: SpanStatusCode.ERROR, message: call.error });
      }
      span.end(new Date(call.createdAt));
      spans++;
    }
  };

  const emitNode = (parent: Span, node: NodeRecord) => {
    const tool = toolCallOf(node.action);
    const stats = tree.stats.get(node.id);
    const attributes: Attributes = {
      'stepwise.node.id': node.id,
      'stepwise.step.depth': node.depth,
      'stepwise.step.action': node.actionText ?? '',
      'stepwise.step.reward': node.reward,
      'stepwise.step.valid': node.check.valid,
      'stepwise.step.terminal': node.terminal,
      'stepwise.step.success': node.success,
      ...(node.duplicateOf ? { 'stepwise.step.duplicate_of': node.duplicateOf } : {}),
      ...(stats ? { 'stepwise.search.visits': stats.visits, 'stepwise.search.selected': stats.selected, ...(stats.value === null ? {} : { 'stepwise.search.value': stats.value }) } : {}),
      ...(tool
        ? {
            [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
            [ATTR_GEN_AI_TOOL_NAME]: tool.tool,
            [ATTR_GEN_AI_TOOL_TYPE]: 'function',
            [ATTR_GEN_AI_TOOL_CALL_ID]: node.id,
            [ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: JSON.stringify(tool.args ?? {}),
          }
        : {}),
    };
    const span = tracer.startSpan(tool ? `${GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL} ${tool.tool}` : 'step', {
      kind: SpanKind.INTERNAL,
      startTime: new Date(node.createdAt),
      attributes,
    }, trace.setSpan(ROOT_CONTEXT, parent));
    if (!node.check.valid) span.setStatus({ code: SpanStatusCode.ERROR, message: node.check.reason ?? 'invalid step' });
    spans++;
    emitChildren(span, node);
    span.end(new Date(endOf.get(node.id) ?? node.createdAt));
  };

  // The root node is the task's start state: its steps and calls hang from the agent span itself.
  const emitChildren = (parent: Span, node: NodeRecord) => {
    emitCalls(parent, node.id);
    for (const child of childrenOf.get(node.id) ?? []) emitNode(parent, child);
  };
  if (root) emitChildren(agent, root);
  agent.end(new Date(taskEnd));
  return spans;
}

/** A tool-using environment's action (`ToolCallAction`, src/core/world.ts), or null for any other action. */
function toolCallOf(action: unknown): { tool: string; args?: unknown } | null {
  if (typeof action !== 'object' || action === null) return null;
  const { tool } = action as { tool?: unknown };
  return typeof tool === 'string' ? (action as { tool: string; args?: unknown }) : null;
}

/** `openai:gpt-4o-mini` → gpt-4o-mini; `openai-compatible:<url>#qwen` → qwen. */
function modelName(spec: string): string {
  const hash = spec.lastIndexOf('#');
  if (hash >= 0) return spec.slice(hash + 1);
  const colon = spec.indexOf(':');
  return colon < 0 ? spec : spec.slice(colon + 1);
}

function modelAttributes(spec: string): Attributes {
  const colon = spec.indexOf(':');
  return { [ATTR_GEN_AI_PROVIDER_NAME]: colon < 0 ? spec : spec.slice(0, colon), [ATTR_GEN_AI_REQUEST_MODEL]: modelName(spec) };
}
