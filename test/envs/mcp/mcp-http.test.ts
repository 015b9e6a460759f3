import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openMcpWorld, type McpTaskSpec } from '../../../src/envs/mcp/index.ts';

const EVERYTHING = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

let server: ChildProcess;
let url: string;
before(async () => {
  const port = await freePort();
  server = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let said = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (/listening on port/.test(said)) resolve();
    });
    server.once('exit', (code) => reject(new Error(`the everything server exited (${code}): ${said}`)));
  });
  url = `http://127.0.0.1:${port}/mcp`;
});
after(() => {
  server.kill();
});

describe('an MCP world over streamable HTTP (the reference everything server)', () => {
  it('lists the tools, calls one, names non-text results, and refuses a bad argument', async () => {
    const spec: McpTaskSpec = {
      server: { url, args: [], env: {}, startupTimeoutMs: 20_000, callTimeoutMs: 10_000 },
      goal: 'Add 2 and 3.',
      check: { answer: '5', match: 'exact' },
      workdir: null,
      workdirAlias: '/workspace',
      tools: ['echo', 'get-sum', 'get-tiny-image'],
    };
    const world = await openMcpWorld(spec, new AbortController().signal);
    try {
      assert.deepEqual(world.tools.map((t) => t.name), ['echo', 'get-sum', 'get-tiny-image', 'final_answer']);
      assert.equal(world.pid, null, 'nothing was spawned: the server was already running');
      const sum = await world.step({ tool: 'get-sum', args: { a: 2, b: 3 } });
      assert.equal(sum.check.valid, true);
      assert.match(sum.observation, /\b5\b/);
      const image = await world.step({ tool: 'get-tiny-image', args: {} });
      assert.match(image.observation, /\[image image\/png\]/);
      const bad = await world.step({ tool: 'get-sum', args: { a: 'two', b: 3 } });
      assert.match(bad.check.reason!, /do not fit its input schema: \/a must be number/);
    } finally {
      await world.close();
    }
  });
});
