// A tiny MCP server over stdio that misbehaves on request, for testing what stepwise records when a server
// fails: `crash` exits mid-call, `hang` never answers, `fail` reports isError, `reject` answers with a
// protocol error. `echo` and `count` work (count keeps a counter, so re-execution can be observed).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';

const server = new Server({ name: 'unruly', version: '1.0.0' }, { capabilities: { tools: {} } });
const noArgs = { type: 'object', properties: {}, additionalProperties: false };
const tools = [
  { name: 'echo', description: 'Echo the text back', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  { name: 'count', description: 'Add one to the counter and return it', inputSchema: noArgs },
  { name: 'crash', description: 'Exit in the middle of the call', inputSchema: noArgs },
  { name: 'hang', description: 'Never answer', inputSchema: noArgs },
  { name: 'fail', description: 'Report an error result', inputSchema: noArgs },
  { name: 'reject', description: 'Answer with a protocol error', inputSchema: noArgs },
];
let counter = 0;
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args = {} } = request.params;
  switch (name) {
    case 'echo':
      return { content: [{ type: 'text', text: String(args.text) }] };
    case 'count':
      return { content: [{ type: 'text', text: `count ${++counter}` }] };
    case 'crash':
      process.stderr.write('unruly: crashing on purpose\n');
      process.exit(3);
    case 'hang':
      return new Promise(() => {});
    case 'fail':
      return { isError: true, content: [{ type: 'text', text: 'the thing failed as asked' }] };
    case 'reject':
      throw new McpError(ErrorCode.InvalidParams, 'reject always rejects');
    default:
      throw new McpError(ErrorCode.MethodNotFound, `no tool ${name}`);
  }
});
await server.connect(new StdioServerTransport());
