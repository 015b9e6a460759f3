import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat completion request body as the fake server received it. */
export type FakeChatRequest = {
  model?: string;
  messages?: { role: string; content: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  /** The tools offered, in OpenAI's format. */
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  tool_choice?: unknown;
  response_format?: unknown;
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
  stop?: string[];
  [field: string]: unknown;
};

/** How the fake server answers one request. A plain string is shorthand for `{ type: 'text', text }`. */
export type FakeReply =
  | string
  /** A well-formed completion; usage defaults to word counts of the prompt and the text. */
  | { type: 'text'; text: string; usage?: { promptTokens: number; completionTokens: number } | null; finishReason?: string }
  /**
   * A completion whose message calls tools (`finish_reason: tool_calls`), several calls in one reply when
   * given several. `arguments` as a string is sent verbatim (so it can be malformed JSON); an object is
   * sent as its JSON. Nothing checks `name` against the request's tools, so an unknown tool can be scripted.
   */
  | { type: 'tool-calls'; calls: FakeToolCall[]; text?: string; usage?: { promptTokens: number; completionTokens: number } | null }
  /** A completion whose message content is empty (`''`) or missing (`null`). */
  | { type: 'empty'; content?: '' | null }
  /** A well-formed completion with an empty `choices` list (seen from overloaded proxies). */
  | { type: 'no-choices' }
  /** Status 200 with a body that is not valid JSON (a truncated reply, by default). */
  | { type: 'broken-json'; body?: string }
  /** 429 with a Retry-After header: seconds, or an HTTP date when given a Date. */
  | { type: 'rate-limit'; retryAfter?: number | Date; message?: string }
  /** A 5xx with an error body in OpenAI's format. */
  | { type: 'server-error'; status?: number; message?: string }
  /** Any status with an error body in OpenAI's format (401 bad key, 404 unknown model, 400 …). */
  | { type: 'error'; status: number; message: string; code?: string; errorType?: string }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { type: 'hang' }
  /** Waits, then answers with `reply`. */
  | { type: 'delay'; ms: number; reply: FakeReply };

/** One scripted tool call; `id` defaults to `call_<n>` (its position in the reply). */
export interface FakeToolCall {
  name: string;
  arguments: string | Record<string, unknown>;
  id?: string;
}

/** A function of the request body and its 0-based index, or a queue answered in order. */
export type FakeScript = ((body: FakeChatRequest, index: number) => FakeReply | Promise<FakeReply>) | readonly FakeReply[];

export interface FakeOpenAIServerOptions {
  script: FakeScript;
  /** Added before every answer, to simulate a real server's latency (benchmarks). */
  latencyMs?: number;
  /** Listed by `GET /v1/models`. */
  models?: string[];
}

export interface FakeOpenAIServer {
  /** The base URL to give a client, ending in `/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every chat completion request body, in arrival order. */
  readonly requests: FakeChatRequest[];
  /** The headers of each request in `requests` (e.g. `authorization`), same order. */
  readonly requestHeaders: IncomingHttpHeaders[];
  /** Chat completion requests being answered right now. */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  /** Ends hanging requests and stops the server. */
  close(): Promise<void>;
}

/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 that answers `POST /v1/chat/completions` from
 * a script, so a model client can be tested through its real provider code without a model.
 */
export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions): Promise<FakeOpenAIServer> {
  const requests: FakeChatRequest[] = [];
  const requestHeaders: IncomingHttpHeaders[] = [];
  const hanging = new Set<ServerResponse>();
  let inFlight = 0;
  let maxInFlight = 0;
  let closing = false;

  const replyFor = async (body: FakeChatRequest, index: number): Promise<FakeReply> => {
    const { script } = options;
    if (typeof script === 'function') return script(body, index);
    const reply = script[index];
    if (reply === undefined) {
      return { type: 'error', status: 400, message: `fake OpenAI server: the script has no reply for request #${index} (it scripts ${script.length})` };
    }
    return reply;
  };

  const answer = async (reply: FakeReply, body: FakeChatRequest, response: ServerResponse): Promise<void> => {
    if (typeof reply === 'string') reply = { type: 'text', text: reply };
    switch (reply.type) {
      case 'text':
        return sendJson(response, 200, completion(body, reply.text, usageFor(body, reply.text, reply.usage), reply.finishReason));
      case 'tool-calls': {
        const toolCalls = reply.calls.map((call, i) => ({
          id: call.id ?? `call_${i}`,
          type: 'function',
          function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
        }));
        const argumentText = toolCalls.map((call) => `${call.function.name} ${call.function.arguments}`).join(' ');
        const usage = usageFor(body, `${reply.text ?? ''} ${argumentText}`, reply.usage);
        return sendJson(response, 200, completion(body, reply.text ?? null, usage, 'tool_calls', toolCalls));
      }
      case 'empty':
        return sendJson(response, 200, completion(body, reply.content ?? null, usageFor(body, '', undefined)));
      case 'no-choices':
        return sendJson(response, 200, { ...completion(body, null, null), choices: [] });
      case 'broken-json':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(reply.body ?? '{"id":"chatcmpl-fake","object":"chat.completion","choices":[{"index":0,"message":{"role":"assist');
        return;
      case 'rate-limit': {
        const retryAfter = reply.retryAfter instanceof Date ? reply.retryAfter.toUTCString() : String(reply.retryAfter ?? 1);
        return sendJson(response, 429, errorBody(reply.message ?? 'Rate limit reached, please retry later', 'rate_limit_exceeded', 'requests'), {
          'retry-after': retryAfter,
        });
      }
      case 'server-error':
        return sendJson(response, reply.status ?? 500, errorBody(reply.message ?? 'The server had an error while processing your request', null, 'server_error'));
      case 'error':
        return sendJson(response, reply.status, errorBody(reply.message, reply.code ?? null, reply.errorType ?? 'invalid_request_error'));
      case 'hang':
        hanging.add(response);
        return new Promise<void>((resolve) => response.on('close', resolve));
      case 'delay':
        await sleep(reply.ms);
        return answer(reply.reply, body, response);
    }
  };

  const handleCompletion = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request);
    let body: FakeChatRequest;
    try {
      body = JSON.parse(text) as FakeChatRequest;
    } catch {
      return sendJson(response, 400, errorBody('fake OpenAI server: the request body is not JSON', null, 'invalid_request_error'));
    }
    const index = requests.length;
    requests.push(body);
    requestHeaders.push(request.headers);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.latencyMs) await sleep(options.latencyMs);
      await answer(await replyFor(body, index), body, response);
    } finally {
      inFlight--;
    }
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      handleCompletion(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, errorBody(`fake OpenAI server: the script threw: ${String(error)}`, null, 'server_error'));
      });
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      const data = (options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'stepwise' }));
      return sendJson(response, 200, { object: 'list', data });
    }
    sendJson(response, 404, errorBody(`fake OpenAI server: no route ${request.method} ${path}`, null, 'invalid_request_error'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    requestHeaders,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const response of hanging) response.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function completion(body: FakeChatRequest, content: string | null, usage: object | null, finishReason = 'stop', toolCalls?: object[]) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) }, finish_reason: finishReason }],
    ...(usage ? { usage } : {}),
  };
}

function usageFor(body: FakeChatRequest, text: string, usage: { promptTokens: number; completionTokens: number } | null | undefined) {
  if (usage === null) return null;
  const promptTokens = usage?.promptTokens ?? wordCount((body.messages ?? []).map((m) => String(m.content)).join(' '));
  const completionTokens = usage?.completionTokens ?? wordCount(text);
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function errorBody(message: string, code: string | null, type: string | null) {
  return { error: { message, type, param: null, code } };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
