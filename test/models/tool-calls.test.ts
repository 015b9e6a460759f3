import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ToolSpec } from '../../src/core/world.ts';
import { requestHash } from '../../src/models/request-hash.ts';
import type { ModelRequest } from '../../src/models/types.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { fakeServerClient, recordingStore, testStepContext, userRequest } from './model-test-kit.ts';

const readFile: ToolSpec = {
  name: 'read_file',
  description: 'Read a file',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  needsApproval: true,
};
const listDir: ToolSpec = { name: 'list_directory', description: 'List a folder', parameters: { type: 'object', properties: { path: { type: 'string' } } } };

test('tools go out in the provider format; several calls in one reply come back raw, malformed arguments included', async () => {
  const server = await startFakeOpenAIServer({
    script: [{ type: 'tool-calls', text: 'Looking.', calls: [{ name: 'read_file', arguments: { path: 'a.txt' } }, { name: 'list_directory', arguments: '{"path": "/tm' }] }],
  });
  try {
    const store = recordingStore(createMemoryStore());
    const client = fakeServerClient(server, store);
    const reply = await client.generate(userRequest('Read a.txt', { tools: [readFile, listDir], toolChoice: 'required' }), testStepContext());
    assert.equal(reply.text, 'Looking.');
    assert.deepEqual(reply.toolCalls, [
      { id: 'call_0', name: 'read_file', arguments: '{"path":"a.txt"}' },
      { id: 'call_1', name: 'list_directory', arguments: '{"path": "/tm' },
    ]);
    const body = server.requests[0];
    assert.deepEqual(body.tools?.map((t) => t.function.name), ['read_file', 'list_directory']);
    assert.deepEqual(body.tools?.[0].function.parameters, readFile.parameters);
    assert.equal(body.tool_choice, 'required');
    const [call] = store.calls;
    assert.deepEqual(JSON.parse(call.text!), { text: 'Looking.', toolCalls: reply.toolCalls }, 'the record keeps the calls');
    assert.deepEqual((call.request as ModelRequest).tools?.map((t) => Object.keys(t).sort()), [['description', 'name', 'parameters'], ['description', 'name', 'parameters']], 'needsApproval is not part of the request');
  } finally {
    await server.close();
  }
});

test('a later client is served the recorded tool calls from the store; other tools are another request', async () => {
  const server = await startFakeOpenAIServer({
    script: [
      { type: 'tool-calls', calls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] },
      { type: 'tool-calls', calls: [{ name: 'list_directory', arguments: { path: '.' } }] },
    ],
  });
  try {
    const store = createMemoryStore();
    const request = userRequest('Read a.txt', { tools: [readFile] });
    const first = await fakeServerClient(server, store).generate(request, testStepContext());
    const again = await fakeServerClient(server, store).generate(request, testStepContext({ nodeId: 'run-1.1' }));
    assert.equal(again.cacheHit, true);
    assert.deepEqual(again.toolCalls, first.toolCalls);
    assert.equal(server.requests.length, 1);
    const other = await fakeServerClient(server, store).generate(userRequest('Read a.txt', { tools: [readFile, listDir] }), testStepContext({ nodeId: 'run-1.2' }));
    assert.equal(other.cacheHit, false);
    assert.equal(other.toolCalls?.[0].name, 'list_directory');
    assert.equal(server.requests.length, 2);
  } finally {
    await server.close();
  }
});

test('earlier tool turns are sent as assistant tool_calls and tool messages', async () => {
  const server = await startFakeOpenAIServer({ script: ['done'] });
  try {
    const request: ModelRequest = {
      messages: [
        { role: 'user', content: 'Read a.txt' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'step_1', name: 'read_file', arguments: '{"path":"a.txt"}' }] },
        { role: 'tool', content: 'hello', toolCallId: 'step_1', toolName: 'read_file' },
      ],
      tools: [readFile],
    };
    await fakeServerClient(server, createMemoryStore()).generate(request, testStepContext());
    const [, assistant, tool] = server.requests[0].messages!;
    assert.deepEqual(assistant.tool_calls?.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]), [['step_1', 'read_file', { path: 'a.txt' }]]);
    assert.equal(tool.role, 'tool');
    assert.equal(tool.tool_call_id, 'step_1');
    assert.equal(tool.content, 'hello');
  } finally {
    await server.close();
  }
});

test('structured output asks for JSON; tool turns, tools, tool choice and the response format are all in the hash', async () => {
  const server = await startFakeOpenAIServer({ script: ['{"tool":"read_file","args":{"path":"a"}}'] });
  try {
    const reply = await fakeServerClient(server, createMemoryStore()).generate(userRequest('Read a', { responseFormat: { type: 'json' } }), testStepContext());
    assert.equal(reply.text, '{"tool":"read_file","args":{"path":"a"}}');
    assert.deepEqual(server.requests[0].response_format, { type: 'json_object' });
  } finally {
    await server.close();
  }
  const base = userRequest('Read a.txt');
  const variants: ModelRequest[] = [
    { ...base, tools: [readFile] },
    { ...base, tools: [{ ...readFile, description: 'Read one file' }] },
    { ...base, tools: [readFile], toolChoice: 'required' },
    { ...base, responseFormat: { type: 'json' } },
    { ...base, responseFormat: { type: 'json', schema: { type: 'object' } } },
    { ...base, messages: [...base.messages, { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 'read_file', arguments: '{}' }] }] },
    { ...base, messages: [...base.messages, { role: 'tool', content: 'x', toolCallId: 'a', toolName: 'read_file' }] },
  ];
  const hashes = new Set([base, ...variants].map((request) => requestHash('m', request)));
  assert.equal(hashes.size, variants.length + 1);
  assert.equal(requestHash('m', { ...base, tools: [readFile] }), requestHash('m', { ...base, tools: [{ ...readFile, needsApproval: false }] }), 'needsApproval is not sent, so not hashed');
  assert.equal(requestHash('m', { ...base, tools: [] }), requestHash('m', base), 'no tools is a plain chat');
});
