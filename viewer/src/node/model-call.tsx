import { useState } from 'preact/hooks';
import type { ModelCallRecord } from '../api.ts';
import { formatDuration, formatNumber, pretty } from '../format.ts';

interface Message {
  role: string;
  content: unknown;
}

function messagesOf(request: unknown): Message[] {
  const messages = (request as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? (messages as Message[]) : [];
}

/** One model call: the figures, the prompt and the reply, and the raw record one click away. */
export function ModelCallView({ call }: { call: ModelCallRecord }) {
  const [raw, setRaw] = useState(false);
  return (
    <details class="model-call" data-call={call.id}>
      <summary>
        <code>{call.model}</code> · {call.usage ? `${formatNumber(call.usage.inputTokens)} in / ${formatNumber(call.usage.outputTokens)} out tokens` : 'no usage'}
        {' · '}{formatDuration(call.latencyMs)}{call.cacheHit ? ' · cache hit' : ''}{call.attempts > 1 ? ` · ${call.attempts} attempts` : ''}
        {call.error ? <span class="bad"> · failed: {call.error}</span> : ''}
      </summary>
      <div class="call-body">
        <button type="button" onClick={() => setRaw(!raw)}>{raw ? 'show messages' : 'show raw record'}</button>
        {raw ? <pre class="raw">{pretty(call)}</pre> : (
          <>
            {messagesOf(call.request).map((message, i) => (
              <div key={i} class={`message role-${message.role}`}>
                <div class="role">{message.role}</div>
                <pre>{typeof message.content === 'string' ? message.content : pretty(message.content)}</pre>
              </div>
            ))}
            <div class="message role-reply">
              <div class="role">reply{call.cacheHit && call.cachedFrom ? ` (from ${call.cachedFrom})` : ''}</div>
              <pre>{call.text ?? '(none)'}</pre>
            </div>
          </>
        )}
      </div>
    </details>
  );
}
