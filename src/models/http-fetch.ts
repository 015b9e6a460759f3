import http from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

const agents = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NODE_USE_ENV_PROXY'];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NO_BODY = new Set([204, 205, 304]);

type FetchInput = Parameters<typeof globalThis.fetch>[0];
type FetchInit = NonNullable<Parameters<typeof globalThis.fetch>[1]>;

/**
 * A fetch for provider calls over node:http(s) with keep-alive agents. Providers only read the status,
 * the headers and a buffered body, and this path costs about half the CPU of the global fetch per
 * call, which is what keeps many slots busy on a small machine. Anything it does not cover (a proxy
 * from the environment, a redirect, a streamed body, a Request object) goes to the global fetch.
 */
export function createHttpFetch(env: Record<string, string | undefined> = process.env): typeof globalThis.fetch {
  const viaGlobal = PROXY_VARIABLES.some((name) => env[name]);
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
    const body = init?.body;
    const simpleBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (viaGlobal || url === null || !simpleBody || !(url.startsWith('http://') || url.startsWith('https://'))) {
      return globalThis.fetch(input, init);
    }
    return send(url, init ?? {}).then((response) => response ?? globalThis.fetch(input, init));
  };
}

/** Sends one request; resolves null for a redirect, which the global fetch then follows. */
function send(url: string, init: FetchInit): Promise<Response | null> {
  const { signal } = init;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const target = new URL(url);
  const headers = headerRecord(init.headers);
  const body = init.body as string | Uint8Array | null | undefined;
  if (body !== undefined && body !== null) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
  const request = (target.protocol === 'https:' ? https : http).request(target, { method: init.method ?? 'GET', headers, agent });

  return new Promise<Response | null>((resolve, reject) => {
    const onAbort = () => {
      request.destroy();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    // The same error the global fetch gives, so providers report it as a network failure.
    request.on('error', (error) => {
      settle();
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    request.on('response', (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        incoming.resume();
        settle();
        return resolve(null);
      }
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', (error) => {
        settle();
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
      });
      incoming.on('end', () => {
        settle();
        try {
          const encoding = incoming.headers['content-encoding'];
          const content = decode(Buffer.concat(chunks), encoding);
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value === undefined || (encoding && (name === 'content-encoding' || name === 'content-length'))) continue;
            for (const each of Array.isArray(value) ? value : [value]) responseHeaders.append(name, each);
          }
          const noBody = NO_BODY.has(status) || init.method === 'HEAD';
          resolve(new Response(noBody ? null : content, { status, statusText: incoming.statusMessage ?? '', headers: responseHeaders }));
        } catch (error) {
          reject(new TypeError('fetch failed', { cause: error }));
        }
      });
    });
    request.end(body ?? undefined);
  });
}

function headerRecord(headers: FetchInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined) return record;
  const pairs: Iterable<[string, string]> =
    headers instanceof Headers ? headers.entries() : Array.isArray(headers) ? (headers as [string, string][]) : Object.entries(headers as Record<string, string>);
  for (const [name, value] of pairs) if (value !== undefined) record[name.toLowerCase()] = value;
  return record;
}

/** Servers should not compress without Accept-Encoding, but some do anyway. */
function decode(content: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return content;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(content);
    case 'deflate':
      return inflateSync(content);
    case 'br':
      return brotliDecompressSync(content);
    default:
      throw new Error(`the response is encoded as ${encoding}, which this client cannot read`);
  }
}
