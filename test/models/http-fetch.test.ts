import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createHttpFetch } from '../../src/models/http-fetch.ts';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

let server: Server;
let base: string;
const routes = new Map<string, Handler>();

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => routes.get(request.url ?? '')?.(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('createHttpFetch', () => {
  const fetch = createHttpFetch({});

  it('sends method, headers and body, and returns status, headers and body as a Response', async () => {
    routes.set('/echo', (request, body, response) => {
      response.writeHead(418, { 'content-type': 'application/json', 'x-seen': `${request.method} ${request.headers.authorization} ${request.headers['content-length']}` });
      response.end(JSON.stringify({ body }));
    });
    const response = await fetch(`${base}/echo`, { method: 'POST', headers: { Authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{"é":1}' });
    assert.equal(response.status, 418);
    assert.equal(response.ok, false);
    assert.equal(response.headers.get('x-seen'), 'POST Bearer k 8', 'content-length counts bytes, not characters');
    assert.deepEqual(await response.json(), { body: '{"é":1}' });
  });

  it('reuses one connection for requests one after another (keep-alive)', async () => {
    const ports: number[] = [];
    routes.set('/port', (request, _body, response) => {
      ports.push(request.socket.remotePort ?? -1);
      response.end('ok');
    });
    for (let i = 0; i < 3; i++) assert.equal(await (await fetch(`${base}/port`, { method: 'POST', body: 'x' })).text(), 'ok');
    assert.equal(new Set(ports).size, 1, `ports used: ${ports.join(', ')}`);
  });

  it('rejects with the signal\'s reason when aborted, before or during the request', async () => {
    routes.set('/hang', () => {});
    const reason = new DOMException('no reply within 50 ms', 'TimeoutError');
    await assert.rejects(fetch(`${base}/hang`, { signal: AbortSignal.abort(reason) }), (error) => error === reason);
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 30);
    await assert.rejects(fetch(`${base}/hang`, { method: 'POST', body: '{}', signal: controller.signal }), (error) => error === reason);
  });

  it('fails like the global fetch when nothing listens: TypeError "fetch failed" with the socket error as cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(fetch(`http://127.0.0.1:${port}/v1`, { method: 'POST', body: '{}' }), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.equal(error.message, 'fetch failed');
      assert.equal((error.cause as NodeJS.ErrnoException).code, 'ECONNREFUSED');
      return true;
    });
  });

  it('decodes a compressed body the server sent unasked', async () => {
    routes.set('/gzip', (_request, _body, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      response.end(gzipSync('sure'));
    });
    const response = await fetch(`${base}/gzip`);
    assert.equal(await response.text(), 'sure');
    assert.equal(response.headers.get('content-encoding'), null);
  });

  it('leaves redirects, and everything when a proxy is configured, to the global fetch', async () => {
    routes.set('/moved', (_request, _body, response) => {
      response.writeHead(307, { location: '/target' });
      response.end();
    });
    routes.set('/target', (request, body, response) => response.end(`${request.method} ${body}`));
    assert.equal(await (await fetch(`${base}/moved`, { method: 'POST', body: 'again' })).text(), 'POST again');

    const global = globalThis.fetch;
    const seen: string[] = [];
    globalThis.fetch = (input, init) => {
      seen.push(String(input));
      return global(input, init);
    };
    try {
      await (await createHttpFetch({ HTTPS_PROXY: 'http://proxy.invalid:3128' })(`${base}/target`)).text();
    } finally {
      globalThis.fetch = global;
    }
    assert.deepEqual(seen, [`${base}/target`]);
  });
});
