import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Environment } from '../core/environment.ts';
import type { ServedEndpoints } from './api-types.ts';
import { StepwiseError, UsageError } from '../core/errors.ts';
import { environments as registeredEnvironments } from '../envs/registry.ts';
import { artifactsDirOf } from '../store/artifacts.ts';
import type { Store } from '../store/store.ts';
import { API_ROUTES, type ApiRoute, type Params, type ViewContext } from './api.ts';
import { badRequest, ViewRequestError } from './http-error.ts';
import { findStaticFile } from './static-files.ts';
import { defineTreeCache } from './tree-cache.ts';

/** Where `npm run build:viewer` (and `npm install`, through `prepare`) writes the web app. */
export const VIEWER_DIST = fileURLToPath(new URL('../../viewer/dist/', import.meta.url));

/** Only the viewer's own files run: no inline script, nothing from elsewhere; record text is data, never markup. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CHANGE_POLL_MS = 500;
/** Where the viewer serves the store's artefact folder (`artifactsDirOf`); screenshots are named by content, so they never change. */
export const ARTIFACTS_PREFIX = '/artifacts/';
const HOST = '127.0.0.1';
/** Host names a page on this machine reaches the server by; any other is a DNS-rebinding page of another site. */
const LOCAL_HOST_NAMES = new Set([HOST, 'localhost']);

/** True when the request's Host header names this machine (or is absent, as from HTTP/1.0 tools). */
function isLocalHostHeader(host: string | undefined): boolean {
  if (host === undefined) return true;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return LOCAL_HOST_NAMES.has(name);
}

export interface ViewServerOptions {
  store: Store;
  /** 0 picks a free port. */
  port: number;
  /** The built web app; default viewer/dist. */
  distDir?: string;
  /** Environments beyond the built-in ones, to render the states of runs made with them. */
  environments?: Environment<any, any, any>[];
  /** Extra API routes (tests, other tabs); tried before the built-in ones. */
  routes?: ApiRoute[];
  /** POST endpoints, given only by commands that write (`stepwise feedback --web`); `stepwise view` has none. */
  writes?: WriteRoute[];
  /** Self-contained HTML pages outside the web app (an eval's report), each under its own CSP; the CLI passes them. */
  pages?: PageRoute[];
}

/** One server-rendered page: a path pattern (its groups, decoded, are the arguments) and the page it renders. */
export interface PageRoute {
  path: RegExp;
  render(args: string[], context: ViewContext): Promise<{ html: string; csp: string }>;
}

/** One POST endpoint: a JSON body in (same origin, JSON content type, 32 KB at most), a JSON answer out. */
export interface WriteRoute {
  path: string;
  handle(body: unknown, context: ViewContext): Promise<unknown>;
}

const MAX_WRITE_BODY = 32 * 1024;

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  // A JSON content type cannot be sent cross-site without a preflight, which this server never grants.
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) throw new ViewRequestError(415, 'send the body as application/json');
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host}`) throw new ViewRequestError(403, 'writes are accepted from this page only');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_WRITE_BODY) throw new ViewRequestError(413, `the body is over ${MAX_WRITE_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw badRequest('the body is not JSON');
  }
}

export interface ViewServer {
  url: string;
  close(): Promise<void>;
}

/** The error `stepwise view` prints when the web app was never built. */
export function missingDistError(distDir: string): UsageError {
  return new UsageError(`The viewer's web app is not built: ${join(distDir, 'index.html')} is missing.`, {
    hint: 'Run `npm run build:viewer` in the stepwise folder (or `npm install`, which builds it), then start `stepwise view` again.',
  });
}

function matchRoute(pattern: string, path: string): Params | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (have[i] === '') return undefined;
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return undefined;
      }
    } else if (want[i] !== have[i]) return undefined;
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    ...extra,
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/**
 * Serves the viewer on 127.0.0.1 over a store it only reads: GET and HEAD only, a JSON API under /api/, a server-sent
 * event stream (/api/events) that says when the store changed, and the built web app for every other path.
 */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  const distDir = options.distDir ?? VIEWER_DIST;
  if (!existsSync(join(distDir, 'index.html'))) throw missingDistError(distDir);
  const environments = new Map<string, Environment<any, any, any>>(registeredEnvironments.entries().map((entry) => [entry.name, entry.env]));
  for (const env of options.environments ?? []) environments.set(env.name, env);
  const context: ViewContext = { store: options.store, trees: defineTreeCache(options.store), environments, problems: new Map() };
  const routes = [...(options.routes ?? []), ...API_ROUTES];
  // Which routes this server has: the eval, approval and feedback pages are served by some commands only, and the page
  // must neither show nor call what is missing here (issue 17: the Evals tab asked a feedback server for /api/evals, a 404).
  routes.push({
    path: '/api/endpoints',
    handle: async (): Promise<ServedEndpoints> => ({ get: routes.map((route) => route.path), post: (options.writes ?? []).map((route) => route.path) }),
  });
  const listeners = new Set<ServerResponse>();
  let lastMark: string | undefined;
  let poller: ReturnType<typeof setInterval> | undefined;

  async function pollChanges(): Promise<void> {
    try {
      const mark = await options.store.changeMark();
      if (mark === lastMark) return;
      lastMark = mark;
      for (const listener of listeners) listener.write(`event: change\ndata: ${JSON.stringify(mark)}\n\n`);
    } catch {
      // A closed store ends the server soon; nothing to tell the page.
    }
  }

  function openEvents(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      connection: 'keep-alive',
    });
    response.write(`retry: 2000\nevent: change\ndata: ${JSON.stringify(lastMark ?? '')}\n\n`);
    listeners.add(response);
    poller ??= setInterval(() => void pollChanges(), CHANGE_POLL_MS);
    request.on('close', () => {
      listeners.delete(response);
      if (listeners.size === 0 && poller !== undefined) {
        clearInterval(poller);
        poller = undefined;
      }
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // 127.0.0.1 alone does not keep other sites out: a name they control can resolve here (DNS rebinding).
    if (!isLocalHostHeader(request.headers.host)) {
      send(response, 421, 'text/plain; charset=utf-8', `The viewer answers only at http://${HOST}:<port>/ or http://localhost:<port>/.\n`);
      return;
    }
    const write = request.method === 'POST' ? options.writes?.find((route) => route.path === new URL(request.url ?? '/', 'http://viewer.invalid').pathname) : undefined;
    if (write) {
      sendJson(response, 200, await write.handle(await readJsonBody(request), context));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'The viewer is read-only: only GET is served.\n', { allow: 'GET, HEAD' });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://viewer.invalid');
    if (url.pathname === '/api/events') {
      // A HEAD has no body to stream: answering it as a stream would hold the connection and a listener forever.
      if (request.method === 'HEAD') {
        send(response, 200, 'text/event-stream', '');
        return;
      }
      lastMark ??= await options.store.changeMark();
      openEvents(request, response);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      for (const route of routes) {
        const params = matchRoute(route.path, url.pathname);
        if (params) {
          sendJson(response, 200, await route.handle(params, url.searchParams, context));
          return;
        }
      }
      sendJson(response, 404, { error: `No API endpoint ${url.pathname}.` });
      return;
    }
    if (url.pathname.startsWith(ARTIFACTS_PREFIX)) {
      // Files steps kept beside the store (a browser's screenshots), by the path their records name.
      const dir = artifactsDirOf(options.store.location);
      const file = dir && extname(url.pathname) !== '' ? await findStaticFile(dir, url.pathname.slice(ARTIFACTS_PREFIX.length - 1)) : undefined;
      if (!file) {
        send(response, 404, 'text/plain; charset=utf-8', 'No such artefact beside this store.\n');
        return;
      }
      send(response, 200, file.contentType, file.body, { 'cache-control': 'public, max-age=31536000, immutable' });
      return;
    }
    for (const pageRoute of options.pages ?? []) {
      const match = pageRoute.path.exec(url.pathname);
      if (!match) continue;
      // A page is self-contained, under its own CSP (an eval report allows only its one hashed style).
      const page = await pageRoute.render(match.slice(1).map(safeDecode), context);
      send(response, 200, 'text/html; charset=utf-8', page.html, { 'content-security-policy': page.csp });
      return;
    }
    const file = await findStaticFile(distDir, url.pathname);
    if (!file) {
      send(response, 404, 'text/plain; charset=utf-8', 'Not found.\n');
      return;
    }
    send(response, 200, file.contentType, file.body, file.immutable ? { 'cache-control': 'public, max-age=31536000, immutable' } : {});
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof ViewRequestError) sendJson(response, error.status, { error: error.message, hint: error.hint ?? null });
      else if (error instanceof StepwiseError) sendJson(response, 500, { error: error.message, hint: error.hint ?? null });
      else sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}/`,
    async close() {
      if (poller !== undefined) clearInterval(poller);
      for (const listener of listeners) listener.end();
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
