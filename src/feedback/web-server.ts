import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webAnswerSchema, type WebPerson } from './web-person.ts';

const HOST = '127.0.0.1';
const MAX_BODY = 32 * 1024;
const PAGE_DIR = new URL('./web/', import.meta.url);
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/feedback.js': { file: 'feedback.js', type: 'text/javascript; charset=utf-8' },
  '/feedback.css': { file: 'feedback.css', type: 'text/css; charset=utf-8' },
};
/** The page's own files only; record text reaches the DOM as text, never as markup. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface FeedbackSessionStatus {
  done: boolean;
  /** A one-line summary once the session ended. */
  summary: string | null;
  error: string | null;
}

export interface FeedbackWebServer {
  url: string;
  /** True once the page has read the final state (the CLI waits for it before exiting). */
  readonly finalStateSeen: boolean;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  response.end(body);
}

const json = (response: ServerResponse, status: number, value: unknown) => send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));

async function readBody(request: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('the answer is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The feedback page for one session, on 127.0.0.1: GET the page and the open prompt; POST an answer
 * to it. The POST is the only write, and all it does is answer the prompt the session is waiting on,
 * which then records the turn or judgment as feedback annotations.
 */
export async function startFeedbackWebServer(options: { person: WebPerson; status(): FeedbackSessionStatus; port?: number }): Promise<FeedbackWebServer> {
  let finalStateSeen = false;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${HOST}`);
    try {
      if (request.method === 'GET' && FILES[url.pathname]) {
        const { file, type } = FILES[url.pathname];
        return send(response, 200, type, readFileSync(new URL(file, PAGE_DIR), 'utf8'));
      }
      if (request.method === 'GET' && url.pathname === '/api/feedback/prompt') {
        const status = options.status();
        if (status.done) finalStateSeen = true;
        return json(response, 200, { prompt: options.person.current(), ...status });
      }
      if (request.method === 'POST' && url.pathname === '/api/feedback/answer') {
        // A JSON content type cannot be sent cross-site without a preflight, which this server never grants.
        if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return json(response, 415, { error: 'send the answer as application/json' });
        const origin = request.headers.origin;
        if (origin && origin !== `http://${request.headers.host}`) return json(response, 403, { error: 'answers are accepted from this page only' });
        let body: unknown;
        try {
          body = JSON.parse(await readBody(request));
        } catch (error) {
          return json(response, 400, { error: error instanceof Error ? error.message : 'the answer is not JSON' });
        }
        const parsed = webAnswerSchema.safeParse(body);
        if (!parsed.success) return json(response, 400, { error: `not an answer: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
        const result = options.person.answer(parsed.data);
        return result.ok ? json(response, 200, { accepted: true }) : json(response, 409, { error: result.error });
      }
      json(response, request.method === 'GET' || request.method === 'POST' ? 404 : 405, { error: `no route for ${request.method} ${url.pathname}` });
    } catch (error) {
      json(response, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}/`,
    get finalStateSeen() {
      return finalStateSeen;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
